import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/*
 * Custom search attributes Ops filter on in the Temporal UI, e.g. `CustomerId = "c-42"`.
 * devstack registers them on the dev server; a production namespace needs them registered once:
 *   temporal operator search-attribute create --name CustomerId --type Keyword  (and so on)
 */
export const CustomerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const PlaybookId = defineSearchAttributeKey('PlaybookId', SearchAttributeType.KEYWORD);
export const PlaybookVersion = defineSearchAttributeKey('PlaybookVersion', SearchAttributeType.KEYWORD);
export const Step = defineSearchAttributeKey('Step', SearchAttributeType.KEYWORD);
export const Arm = defineSearchAttributeKey('Arm', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [CustomerId, PlaybookId, PlaybookVersion, Step, Arm];
