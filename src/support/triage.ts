import type { Triage } from './types.js';

/** Decides how urgent a question is and what it is about. */
export interface Triager {
  triage(text: string, options: { markedUrgent?: boolean }): Triage;
}

/** Used until a team's rules are loaded: everything is normal and general unless marked urgent. */
export const neutralTriager: Triager = {
  triage: (_text, { markedUrgent }) => ({
    urgency: markedUrgent ? 'high' : 'normal',
    category: 'general',
    matched: markedUrgent ? ['--urgent'] : [],
  }),
};
