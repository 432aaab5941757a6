/** Every workflow the worker registers. The bundler starts from this file. */
export { journeyWorkflow } from './journey';
export { computedTriggerWorkflow } from './computedTrigger';
export { seasonalMomentWorkflow } from './seasonalMoment';
