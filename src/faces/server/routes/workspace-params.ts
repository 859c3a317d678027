import { WORKSPACE_NAME_PATTERN } from '../../../services/identity/workspace-service.js';

/** The `:workspace` URL parameter every workspace-scoped route starts with; routes extend it with their own. */
export const WORKSPACE_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['workspace'],
  properties: { workspace: { type: 'string', pattern: WORKSPACE_NAME_PATTERN } },
} as const;
