import type { ViewOutput } from '@slack/bolt';
import { slaMinutesProblem } from '../../support/channel-settings/index.js';
import type { ChannelSettingsValues } from '../../support/channel-settings/types.js';
import { clamp, OPTION_TEXT_MAX, PRIVATE_METADATA_MAX, SELECT_OPTIONS_MAX } from './limits.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { section } from './parts.js';
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from './types.js';

/** Ids of the `/support settings` modal: its callback id, and each input's block id and action id. */
export const CHANNEL_SETTINGS_MODAL_IDS = {
  callbackId: 'channel_settings_modal',
  behaviour: { blockId: 'behaviour', actionId: 'behaviour_checkboxes' },
  sources: { blockId: 'sources', actionId: 'sources_select' },
  sla: { blockId: 'sla_minutes', actionId: 'sla_minutes_input' },
  alertChannel: { blockId: 'alert_channel', actionId: 'alert_channel_select' },
  responders: { blockId: 'responders', actionId: 'responders_select' },
  usergroup: { blockId: 'responder_usergroup', actionId: 'responder_usergroup_input' },
} as const;

const AUTO_ANSWER = 'auto_answer';
const QUESTIONS_ONLY = 'questions_only';
const USERGROUP = /^(?:<!subteam\^)?(S[A-Z0-9]{2,})(?:\|[^>]*>|>)?$/;

/** A knowledge source as the modal lists it. */
export interface SourceChoice {
  name: string;
  label: string;
}

/** Where the settings apply, carried from the command to the submit in `private_metadata`. */
export interface ChannelSettingsTarget {
  teamId: string;
  channelId: string;
}

/** The modal shown the instant `/support settings` arrives, while the settings are read. */
export function channelSettingsLoadingModal(target: ChannelSettingsTarget, channelName?: string): ModalView {
  return {
    type: 'modal',
    callback_id: CHANNEL_SETTINGS_MODAL_IDS.callbackId,
    title: { type: 'plain_text', text: 'Channel settings' },
    close: { type: 'plain_text', text: 'Close' },
    private_metadata: encodeTarget(target),
    blocks: [section('loading', `:hourglass_flowing_sand: Reading the settings of ${where(channelName)}…`)],
  };
}

/** The same modal with a message instead of the form (the settings could not be read). */
export function channelSettingsNoticeModal(target: ChannelSettingsTarget, mrkdwn: string): ModalView {
  return {
    type: 'modal',
    callback_id: CHANNEL_SETTINGS_MODAL_IDS.callbackId,
    title: { type: 'plain_text', text: 'Channel settings' },
    close: { type: 'plain_text', text: 'Close' },
    private_metadata: encodeTarget(target),
    blocks: [section('notice', mrkdwn)],
  };
}

/** The settings form of one support channel, prefilled with its current settings. */
export function channelSettingsModal(input: {
  target: ChannelSettingsTarget;
  channelName?: string;
  values: ChannelSettingsValues;
  sources: readonly SourceChoice[];
}): ModalView {
  const ids = CHANNEL_SETTINGS_MODAL_IDS;
  const { values } = input;
  const behaviourOptions = [
    option(AUTO_ANSWER, 'Answer new requests automatically in the thread'),
    option(QUESTIONS_ONLY, 'Answer only messages that look like questions'),
  ];
  const behaviourChosen = behaviourOptions.filter(
    (choice) =>
      (choice.value === AUTO_ANSWER && values.autoAnswer) ||
      (choice.value === QUESTIONS_ONLY && values.questionsOnly),
  );
  const sourceOptions = input.sources
    .slice(0, SELECT_OPTIONS_MAX)
    .map((source) => option(source.name, source.label));
  const chosenSources = sourceOptions.filter(
    (choice) => !values.sources || values.sources.includes(choice.value ?? ''),
  );
  const blocks: KnownBlock[] = [
    section('intro', `Settings of ${where(input.channelName)}. Every change is recorded with your name.`),
    {
      type: 'input',
      block_id: ids.behaviour.blockId,
      label: { type: 'plain_text', text: 'Answers' },
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: ids.behaviour.actionId,
        options: behaviourOptions,
        ...(behaviourChosen.length > 0 ? { initial_options: behaviourChosen } : {}),
      },
    } satisfies InputBlock,
  ];
  if (sourceOptions.length > 0) {
    blocks.push({
      type: 'input',
      block_id: ids.sources.blockId,
      label: { type: 'plain_text', text: 'Knowledge sources' },
      hint: { type: 'plain_text', text: 'Where answers in this channel come from.' },
      element: {
        type: 'multi_static_select',
        action_id: ids.sources.actionId,
        options: sourceOptions,
        ...(chosenSources.length > 0 ? { initial_options: chosenSources } : {}),
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: ids.sla.blockId,
      label: { type: 'plain_text', text: 'First-response SLA (minutes)' },
      hint: { type: 'plain_text', text: 'A request with no human reply within this time is alerted.' },
      element: {
        type: 'plain_text_input',
        action_id: ids.sla.actionId,
        initial_value: String(values.slaMinutes),
        max_length: 6,
      },
    },
    {
      type: 'input',
      block_id: ids.alertChannel.blockId,
      label: { type: 'plain_text', text: 'Alert channel' },
      hint: { type: 'plain_text', text: 'Where SLA breaches and urgent requests are posted.' },
      optional: true,
      element: {
        type: 'conversations_select',
        action_id: ids.alertChannel.actionId,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(values.alertChannel ? { initial_conversation: values.alertChannel } : {}),
      },
    },
    {
      type: 'input',
      block_id: ids.responders.blockId,
      label: { type: 'plain_text', text: 'Responders' },
      hint: {
        type: 'plain_text',
        text: 'Who takes requests here. With none and no user group, the support admins do.',
      },
      optional: true,
      element: {
        type: 'multi_users_select',
        action_id: ids.responders.actionId,
        ...(values.responderUserIds.length > 0 ? { initial_users: values.responderUserIds } : {}),
      },
    },
    {
      type: 'input',
      block_id: ids.usergroup.blockId,
      label: { type: 'plain_text', text: 'Responder user group' },
      hint: { type: 'plain_text', text: 'A user group id such as S0123ABCD; its members are responders.' },
      optional: true,
      element: {
        type: 'plain_text_input',
        action_id: ids.usergroup.actionId,
        max_length: 60,
        ...(values.responderUsergroup ? { initial_value: values.responderUsergroup } : {}),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: ids.callbackId,
    title: { type: 'plain_text', text: 'Channel settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeTarget(input.target),
    blocks,
  };
}

/**
 * The submitted settings, and an error per block id for anything invalid (an SLA that is not a
 * whole number of minutes from 1 to a week, no source chosen, a malformed user group id).
 */
export function readChannelSettingsModal(
  stateValues: ViewOutput['state']['values'],
  knownSources: readonly SourceChoice[],
): { values: ChannelSettingsValues; errors: Record<string, string> } {
  const ids = CHANNEL_SETTINGS_MODAL_IDS;
  const read = (ref: { blockId: string; actionId: string }) => stateValues[ref.blockId]?.[ref.actionId];
  const errors: Record<string, string> = {};

  const behaviour = new Set((read(ids.behaviour)?.selected_options ?? []).map((choice) => choice.value));

  const known = new Set(knownSources.map((source) => source.name));
  const chosen = (read(ids.sources)?.selected_options ?? [])
    .map((choice) => choice.value)
    .filter((name) => known.has(name));
  if (knownSources.length > 0 && chosen.length === 0)
    errors[ids.sources.blockId] = 'Please choose at least one source.';
  const everySource = chosen.length === known.size;

  const slaText = read(ids.sla)?.value ?? '';
  const slaProblem = slaMinutesProblem(slaText);
  if (slaProblem) errors[ids.sla.blockId] = slaProblem;

  const alertChannel = read(ids.alertChannel)?.selected_conversation ?? undefined;
  const responderUserIds = read(ids.responders)?.selected_users ?? [];

  const usergroupText = (read(ids.usergroup)?.value ?? '').trim();
  const usergroup = usergroupText ? USERGROUP.exec(usergroupText)?.[1] : undefined;
  if (usergroupText && !usergroup)
    errors[ids.usergroup.blockId] = 'That is not a user group id: it starts with S, such as S0123ABCD.';

  return {
    values: {
      autoAnswer: behaviour.has(AUTO_ANSWER),
      ...(everySource || chosen.length === 0 ? {} : { sources: chosen }),
      slaMinutes: slaProblem ? 0 : Number(slaText.trim()),
      ...(alertChannel ? { alertChannel } : {}),
      ...(usergroup ? { responderUsergroup: usergroup } : {}),
      responderUserIds,
      questionsOnly: behaviour.has(QUESTIONS_ONLY),
    },
    errors,
  };
}

/** The channel a submitted modal is about; undefined when its metadata was tampered with or is old. */
export function decodeChannelSettingsTarget(privateMetadata: string): ChannelSettingsTarget | undefined {
  try {
    const parsed = JSON.parse(privateMetadata) as { t?: unknown; c?: unknown };
    if (typeof parsed.t === 'string' && typeof parsed.c === 'string' && /^[CG][A-Z0-9]+$/.test(parsed.c))
      return { teamId: parsed.t, channelId: parsed.c };
  } catch {
    // Not deskhand's metadata.
  }
  return undefined;
}

function encodeTarget(target: ChannelSettingsTarget): string {
  const encoded = JSON.stringify({ t: target.teamId, c: target.channelId });
  if (encoded.length > PRIVATE_METADATA_MAX) throw new RangeError('channel settings metadata too long');
  return encoded;
}

function where(channelName: string | undefined): string {
  return channelName ? `*#${escapeMrkdwn(channelName)}*` : 'this channel';
}

function option(value: string, label: string): PlainTextOption {
  return { text: { type: 'plain_text', text: clamp(label, OPTION_TEXT_MAX) }, value };
}
