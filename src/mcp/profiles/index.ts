import type { McpProfile } from '../../config/mcp-services.js';
import { deskhandProfile } from './deskhand.js';
import { notionOfficialProfile } from './notion-official.js';
import type { Profile } from './types.js';

export type { Profile } from './types.js';

export function profileFor(name: McpProfile): Profile {
  return name === 'notion-official' ? notionOfficialProfile : deskhandProfile;
}
