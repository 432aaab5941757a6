export { TemplateSyntaxError, lineColumn } from './ast';
export type { TemplateAst, TemplateNode, TemplatePath, FilterCall, FilterName, PathRoot } from './ast';
export { parseTemplate } from './parse';
export { renderTemplate } from './render';
export type { RenderOptions, TemplateContext } from './render';
export { referencedPaths, templateReferences } from './references';
export type { TemplateReference } from './references';
