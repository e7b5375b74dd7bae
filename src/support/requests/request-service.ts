import type { Logger } from 'pino';
import { type Clock, systemClock } from '../ports.js';
import type { ChannelKind } from '../types.js';
import type {
  ChannelSettingsSource,
  GroupMembers,
  RequestNotifier,
  RequestStore,
  StatusChange,
} from './ports.js';
import { looksLikeQuestion } from './question-shape.js';
import type { ChannelSettings, RequestVia, SupportRequest } from './types.js';

export interface RequestServiceOptions {
  store: RequestStore;
  settings: ChannelSettingsSource;
  /** Redraws cards and posts alerts; absent in tests of the core alone. */
  notifier?: RequestNotifier;
  /** Resolves a responders user group to its members. */
  groups?: GroupMembers;
  /** SUPPORT_ADMINS: responders of a channel that names none. */
  supportAdmins: readonly string[];
  logger: Logger;
  clock?: Clock;
  /** Longest question text kept on the request (the alert quotes it). */
  textMaxChars?: number;
}

/** A new top-level message in a channel, as an adapter sees it. */
export interface ChannelMessage {
  teamId: string;
  channelId: string;
  ts: string;
  userId: string;
  channelKind: ChannelKind;
  text: string;
}

/** What became of a new top-level message. */
export type OpenOutcome =
  | { kind: 'not_support_channel' }
  /** A request already exists for this thread (another replica or delivery made it). */
  | { kind: 'duplicate'; request: SupportRequest }
  | { kind: 'opened'; request: SupportRequest; settings: ChannelSettings; answer: boolean };

/** What became of a reply in a request's thread. */
export type ReplyOutcome =
  | { kind: 'not_a_request' }
  /** The asker wrote again: `answer` says whether it reads as a new question. */
  | {
      kind: 'follow_up';
      request: SupportRequest;
      settings: ChannelSettings;
      answer: boolean;
      reopened: boolean;
    }
  /** Someone else replied: the first response when `first`, a take when a responder replied first. */
  | { kind: 'response'; request: SupportRequest; first: boolean };

export type TakeOutcome =
  | { kind: 'taken'; request: SupportRequest }
  | { kind: 'already_taken'; takenBy: string; request: SupportRequest }
  | { kind: 'not_responder'; request: SupportRequest }
  | { kind: 'resolved'; request: SupportRequest }
  | { kind: 'not_found' };

export type ResolveOutcome =
  | { kind: 'resolved'; request: SupportRequest }
  | { kind: 'already_resolved'; request: SupportRequest }
  | { kind: 'not_allowed'; request: SupportRequest }
  | { kind: 'not_found' };

export type HumanOutcome =
  | { kind: 'requested'; request: SupportRequest }
  | { kind: 'not_asker'; request: SupportRequest }
  | { kind: 'not_found' };

export const REACTIONS = { taken: 'eyes', resolved: 'white_check_mark' } as const;

const OPEN_STATUSES = ['open', 'in_progress', 'reopened'] as const;

/**
 * Support-channel requests: opened from a channel's new messages, taken, resolved and reopened by
 * buttons, emoji and replies, and held to the channel's first-response SLA. No Slack types here.
 */
export class RequestService {
  private readonly clock: Clock;

  constructor(private readonly options: RequestServiceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The channel's settings, or undefined when it is not a support channel. */
  settingsFor(channelId: string): Promise<ChannelSettings | undefined> {
    return this.options.settings.settingsFor(channelId);
  }

  findById(id: number): Promise<SupportRequest | undefined> {
    return this.options.store.findById(id);
  }

  findByQuestion(questionId: string): Promise<SupportRequest | undefined> {
    return this.options.store.findByQuestion(questionId);
  }

  findByThread(teamId: string, channelId: string, rootTs: string): Promise<SupportRequest | undefined> {
    return this.options.store.findByThread(teamId, channelId, rootTs);
  }

  /** Who takes this channel's requests: its responders and group, else the support admins, else anyone. */
  async isResponder(settings: ChannelSettings, userId: string, askerId?: string): Promise<boolean> {
    if (settings.responders.includes(userId)) return true;
    if (settings.usergroup && this.options.groups) {
      try {
        if ((await this.options.groups.membersOf(settings.usergroup)).includes(userId)) return true;
      } catch (error) {
        this.options.logger.warn(
          { usergroup: settings.usergroup, err: (error as Error).message },
          'could not read the responders user group',
        );
      }
    }
    if (settings.responders.length > 0 || settings.usergroup) return false;
    if (this.options.supportAdmins.length > 0) return this.options.supportAdmins.includes(userId);
    // Nothing configured (the playground): anyone but the asker responds.
    return userId !== askerId;
  }

  /** The settings with the support admins as responders when the channel names none. */
  withEffectiveResponders(settings: ChannelSettings): ChannelSettings {
    if (settings.responders.length > 0 || settings.usergroup) return settings;
    return { ...settings, responders: this.options.supportAdmins };
  }

  /** A new top-level message: in a support channel, one request per thread across replicas and retries. */
  async open(message: ChannelMessage): Promise<OpenOutcome> {
    const settings = await this.settingsFor(message.channelId);
    if (!settings) return { kind: 'not_support_channel' };
    const now = this.clock.now();
    const { request, created } = await this.options.store.open({
      teamId: message.teamId,
      channelId: message.channelId,
      rootTs: message.ts,
      askerId: message.userId,
      channelKind: message.channelKind,
      text: message.text.slice(0, this.options.textMaxChars ?? 2000),
      slaDueAt: new Date(now.getTime() + settings.slaMinutes * 60_000),
      createdAt: now,
    });
    if (!created) return { kind: 'duplicate', request };
    const answer = settings.autoAnswer && (!settings.questionsOnly || looksLikeQuestion(message.text));
    return { kind: 'opened', request, settings, answer };
  }

  /** Remembers the bot's threaded answer (the card with status and owner) and the question it answered. */
  async linkReply(requestId: number, reply: { replyTs?: string; questionId?: string }): Promise<void> {
    await this.options.store.setReply(requestId, reply);
  }

  /** A human reply in a thread: a follow-up from the asker, or a response (and a take) from anyone else. */
  async reply(message: ChannelMessage & { threadTs: string }): Promise<ReplyOutcome> {
    const request = await this.options.store.findByThread(
      message.teamId,
      message.channelId,
      message.threadTs,
    );
    if (!request) return { kind: 'not_a_request' };
    const settings = await this.settingsFor(message.channelId);
    if (!settings) return { kind: 'not_a_request' };
    const now = this.clock.now();
    if (message.userId === request.askerId) {
      let current = request;
      let reopened = false;
      if (request.status === 'resolved') {
        const changed = await this.change(request, {
          from: ['resolved'],
          to: 'reopened',
          actorId: message.userId,
          via: 'message',
          kind: 'reopened',
          at: now,
          resolvedBy: null,
        });
        if (changed) {
          current = changed;
          reopened = true;
        }
      }
      await this.options.store.addEvent({
        requestId: request.id,
        at: now,
        actorId: message.userId,
        kind: 'follow_up',
        via: 'message',
        detail: { ts: message.ts },
      });
      return {
        kind: 'follow_up',
        request: current,
        settings,
        answer: looksLikeQuestion(message.text),
        reopened,
      };
    }
    const first = await this.options.store.recordFirstResponse(request.id, message.userId, now);
    let current = first ?? request;
    if (
      current.status !== 'resolved' &&
      (await this.isResponder(settings, message.userId, request.askerId))
    ) {
      const taken = !current.takenBy
        ? await this.change(current, {
            from: OPEN_STATUSES,
            to: 'in_progress',
            actorId: message.userId,
            via: 'reply',
            kind: 'taken',
            at: now,
            takenBy: message.userId,
            onlyIfUntaken: true,
          })
        : current.status === 'reopened'
          ? await this.change(current, {
              from: ['reopened'],
              to: 'in_progress',
              actorId: message.userId,
              via: 'reply',
              kind: 'taken',
              at: now,
            })
          : undefined;
      current = taken ?? current;
    }
    return { kind: 'response', request: current, first: first !== undefined };
  }

  /** Take it (button or 👀): the first responder to take an untaken request owns it. */
  async take(requestId: number, userId: string, via: RequestVia): Promise<TakeOutcome> {
    const request = await this.options.store.findById(requestId);
    if (!request) return { kind: 'not_found' };
    const settings = await this.settingsFor(request.channelId);
    if (!settings || !(await this.isResponder(settings, userId, request.askerId)))
      return { kind: 'not_responder', request };
    if (request.status === 'resolved') return { kind: 'resolved', request };
    if (request.takenBy) return { kind: 'already_taken', takenBy: request.takenBy, request };
    const taken = await this.change(request, {
      from: OPEN_STATUSES,
      to: 'in_progress',
      actorId: userId,
      via,
      kind: 'taken',
      at: this.clock.now(),
      takenBy: userId,
      onlyIfUntaken: true,
    });
    if (taken) return { kind: 'taken', request: taken };
    const now = await this.options.store.findById(requestId);
    if (now?.status === 'resolved') return { kind: 'resolved', request: now };
    return { kind: 'already_taken', takenBy: now?.takenBy ?? '', request: now ?? request };
  }

  /**
   * Resolves a request: by the asker's Solved (`askerOnly`), or by anyone's ✅. A resolved request
   * stays resolved until the asker writes again.
   */
  async resolve(
    requestId: number,
    userId: string,
    via: RequestVia,
    options: { askerOnly?: boolean } = {},
  ): Promise<ResolveOutcome> {
    const request = await this.options.store.findById(requestId);
    if (!request) return { kind: 'not_found' };
    if (options.askerOnly && userId !== request.askerId) return { kind: 'not_allowed', request };
    if (request.status === 'resolved') return { kind: 'already_resolved', request };
    const resolved = await this.change(request, {
      from: OPEN_STATUSES,
      to: 'resolved',
      actorId: userId,
      via,
      kind: 'resolved',
      at: this.clock.now(),
      resolvedBy: userId,
    });
    if (resolved) return { kind: 'resolved', request: resolved };
    const now = await this.options.store.findById(requestId);
    return { kind: 'already_resolved', request: now ?? request };
  }

  /** An emoji added to or removed from a request's root message or the bot's reply in its thread. */
  async reaction(input: {
    teamId: string;
    channelId: string;
    ts: string;
    userId: string;
    name: string;
    added: boolean;
  }): Promise<SupportRequest | undefined> {
    const name = input.name.split('::')[0];
    if (name !== REACTIONS.taken && name !== REACTIONS.resolved) return undefined;
    const request = await this.options.store.findByMessage(input.teamId, input.channelId, input.ts);
    if (!request) return undefined;
    const now = this.clock.now();
    if (name === REACTIONS.taken) {
      if (input.added) {
        const outcome = await this.take(request.id, input.userId, 'reaction');
        return outcome.kind === 'taken' ? outcome.request : undefined;
      }
      // Taking back a 👀: the owner lets the request go, so someone else can take it.
      return this.change(request, {
        from: ['in_progress'],
        to: 'open',
        actorId: input.userId,
        via: 'reaction',
        kind: 'released',
        at: now,
        takenBy: null,
        onlyIfTakenBy: input.userId,
      });
    }
    if (input.added) {
      const outcome = await this.resolve(request.id, input.userId, 'reaction');
      return outcome.kind === 'resolved' ? outcome.request : undefined;
    }
    // Taking back a ✅: undone only by whoever put it there; the request goes back to where it was.
    return this.change(request, {
      from: ['resolved'],
      to: request.takenBy ? 'in_progress' : 'open',
      actorId: input.userId,
      via: 'reaction',
      kind: 'reopened',
      at: now,
      resolvedBy: null,
      onlyIfResolvedBy: input.userId,
    });
  }

  /** "I need a human": the asker asks the responders to step in; they are pinged in the thread. */
  async requestHuman(requestId: number, userId: string): Promise<HumanOutcome> {
    const request = await this.options.store.findById(requestId);
    if (!request) return { kind: 'not_found' };
    if (userId !== request.askerId) return { kind: 'not_asker', request };
    const settings = await this.settingsFor(request.channelId);
    const now = this.clock.now();
    let current = request;
    if (request.status === 'resolved') {
      current =
        (await this.change(request, {
          from: ['resolved'],
          to: 'reopened',
          actorId: userId,
          via: 'button',
          kind: 'reopened',
          at: now,
          resolvedBy: null,
        })) ?? request;
    }
    await this.options.store.addEvent({
      requestId,
      at: now,
      actorId: userId,
      kind: 'human_requested',
      via: 'button',
    });
    if (settings)
      await this.options.notifier?.humanRequested(current, this.withEffectiveResponders(settings));
    return { kind: 'requested', request: current };
  }

  /**
   * Marks every request past its SLA with no human reply as breached and alerts it once, across
   * replicas: a claim is one conditional update, and a failed alert is released for the next scan.
   */
  async scanBreaches(limit = 50): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.options.store.claimBreaches(now, limit);
    let alerted = 0;
    for (const request of claimed) {
      const settings = await this.settingsFor(request.channelId);
      const alertChannel = settings?.alertChannel;
      if (!alertChannel || !this.options.notifier) {
        this.options.logger.warn(
          { requestId: request.id, channel: request.channelId },
          'first-response SLA breached; no alert channel to tell',
        );
        continue;
      }
      try {
        const { ts } = await this.options.notifier.breached(request, alertChannel);
        await this.options.store.setAlert(request.id, { channelId: alertChannel, ts });
        alerted += 1;
      } catch (error) {
        this.options.logger.warn(
          { requestId: request.id, err: (error as Error).message },
          'could not post the SLA breach alert; the next scan tries again',
        );
        await this.options.store.releaseBreach(request.id, now);
      }
    }
    return alerted;
  }

  private async change(request: SupportRequest, change: StatusChange): Promise<SupportRequest | undefined> {
    const changed = await this.options.store.changeStatus(request.id, change);
    if (changed) await this.redraw(changed);
    return changed;
  }

  /** Redraws the request's card and alert as they stand; a failure is logged, never thrown. */
  async redraw(request: SupportRequest): Promise<void> {
    try {
      await this.options.notifier?.statusChanged(request);
    } catch (error) {
      // The change is stored; the card catches up at the next change.
      this.options.logger.warn(
        { requestId: request.id, err: (error as Error).message },
        'could not redraw the request card',
      );
    }
  }
}
