import type { types as slack } from '@slack/bolt';

// Block Kit types come from @slack/types through @slack/bolt's `types` namespace: @slack/types is
// only a dependency of Bolt, so naming it here would rely on npm hoisting it.
export type ActionsBlock = slack.ActionsBlock;
export type Button = slack.Button;
export type ContextBlock = slack.ContextBlock;
export type HeaderBlock = slack.HeaderBlock;
export type InputBlock = slack.InputBlock;
export type KnownBlock = slack.KnownBlock;
export type ModalView = slack.ModalView;
export type HomeView = slack.HomeView;
export type MrkdwnElement = slack.MrkdwnElement;
export type PlainTextElement = slack.PlainTextElement;
export type PlainTextOption = slack.PlainTextOption;
export type SectionBlock = slack.SectionBlock;

/** A message deskhand sends: `text` is the notification fallback, `blocks` what people see. */
export interface CardMessage {
  text: string;
  blocks: KnownBlock[];
}
