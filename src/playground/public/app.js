import { mrkdwn, renderBlocks } from '/playground/blocks.js';

const $ = (id) => document.getElementById(id);
const view = {
  me: 'U0ASKER',
  channel: 'C0GENERAL',
  thread: null,
  state: null,
  modalId: null,
  modalErrors: {},
};

async function api(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: view.me, ...body }),
  });
  const result = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(result.message ?? `HTTP ${response.status}`);
  return result;
}

async function refresh() {
  const response = await fetch(`/playground/api/state?user=${encodeURIComponent(view.me)}`);
  view.state = await response.json();
  if (!view.state.channels.some((channel) => channel.id === view.channel))
    view.channel = view.state.channels[0]?.id;
  render();
}

let refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 30);
}

const ctx = () => ({
  userName: (id) => view.state.users.find((user) => user.id === id)?.realName ?? id,
  channelName: (id) => view.state.channels.find((channel) => channel.id === id)?.name,
});

function render() {
  renderUsers();
  renderChannels();
  const channel = view.state.channels.find((c) => c.id === view.channel);
  $('channel-title').textContent = channel?.kind === 'im' ? 'deskhand' : `# ${channel?.name ?? ''}`;
  const top = view.state.messages.filter(
    (m) => m.channel === view.channel && (!m.thread_ts || m.thread_ts === m.ts),
  );
  renderList($('messages'), top, true);
  if (view.thread) {
    const replies = view.state.messages.filter(
      (m) => m.channel === view.thread.channel && (m.ts === view.thread.ts || m.thread_ts === view.thread.ts),
    );
    $('thread').hidden = false;
    renderList($('thread-messages'), replies, false);
  } else {
    $('thread').hidden = true;
  }
  renderModal(view.state.view);
}

function renderUsers() {
  const select = $('user-select');
  const humans = view.state.users.filter((user) => !user.isBot && user.id !== 'USLACKBOT');
  if (select.options.length !== humans.length) {
    select.replaceChildren(...humans.map((user) => new Option(user.realName, user.id)));
  }
  select.value = view.me;
}

function renderChannels() {
  const item = (channel, label) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.className = channel.id === view.channel ? 'active' : '';
    button.addEventListener('click', () => {
      view.channel = channel.id;
      view.thread = null;
      render();
    });
    const li = document.createElement('li');
    li.append(button);
    return li;
  };
  $('channels').replaceChildren(
    ...view.state.channels.filter((c) => c.kind !== 'im').map((c) => item(c, `# ${c.name}`)),
  );
  $('dms').replaceChildren(
    ...view.state.channels.filter((c) => c.kind === 'im').map((c) => item(c, '● deskhand')),
  );
}

function renderList(container, messages, showReplies) {
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  container.replaceChildren(...messages.map((message) => renderMessage(message, showReplies)));
  if (atBottom) container.scrollTop = container.scrollHeight;
}

function renderMessage(message, showReplies) {
  const isBot = Boolean(message.bot_id) || message.user === view.state.bot;
  const name = isBot ? 'deskhand' : ctx().userName(message.user);
  const node = document.createElement('div');
  node.className = `message${message.ephemeralTo ? ' ephemeral' : ''}`;
  node.dataset.ts = message.ts;
  const avatar = document.createElement('div');
  avatar.className = `avatar${isBot ? ' bot' : ''}`;
  avatar.textContent = name.slice(0, 1).toUpperCase();
  const body = document.createElement('div');
  const meta = document.createElement('div');
  meta.className = 'meta';
  const strong = document.createElement('strong');
  strong.textContent = name;
  meta.append(strong);
  if (isBot) {
    const badge = document.createElement('span');
    badge.className = 'app-badge';
    badge.textContent = 'APP';
    meta.append(badge);
  }
  meta.append(
    new Date(Number(message.ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
  );
  body.append(meta);
  if (message.blocks?.length) {
    body.append(
      renderBlocks(message.blocks, {
        ...ctx(),
        fallbackText: message.text,
        onAction: (element) =>
          api('/playground/api/click', {
            channel: message.channel,
            ts: message.ts,
            actionId: element.action_id,
            value: element.value,
          }).catch(showError),
      }),
    );
  } else {
    const text = mrkdwn(message.text, ctx());
    text.classList.add('text');
    body.append(text);
  }
  if (message.ephemeralTo) {
    const note = document.createElement('div');
    note.className = 'ephemeral-note';
    note.textContent = 'Only visible to you';
    body.append(note);
  }
  if (message.reactions?.length) body.append(renderReactions(message));
  if (showReplies && message.reply_count > 0) {
    const replies = document.createElement('button');
    replies.type = 'button';
    replies.className = 'replies';
    replies.textContent = `${message.reply_count} ${message.reply_count === 1 ? 'reply' : 'replies'}`;
    replies.addEventListener('click', () => openThread(message));
    body.append(replies);
  }
  const actions = document.createElement('div');
  actions.className = 'msg-actions';
  if (!message.ephemeralTo) {
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.textContent = 'Reply in thread';
    reply.addEventListener('click', () => openThread(message));
    const forward = document.createElement('button');
    forward.type = 'button';
    forward.textContent = 'Forward to support';
    forward.title = 'The "Ask support" message shortcut';
    forward.addEventListener('click', () =>
      api('/playground/api/shortcut', { channel: message.channel, ts: message.ts }).catch(showError),
    );
    // 👀 takes a request in a support channel, ✅ resolves it; clicking again takes the emoji back.
    const reactButtons = Object.entries(REACTION_GLYPHS).map(([name, glyph]) => {
      const react = document.createElement('button');
      react.type = 'button';
      react.textContent = glyph;
      react.title = `React with :${name}:`;
      react.addEventListener('click', () => toggleReaction(message, name));
      return react;
    });
    actions.append(reply, forward, ...reactButtons);
  }
  node.append(avatar, body, actions);
  return node;
}

const REACTION_GLYPHS = { eyes: '👀', white_check_mark: '✅' };

function renderReactions(message) {
  const row = document.createElement('div');
  row.className = 'reactions';
  for (const reaction of message.reactions) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = `reaction${reaction.users.includes(view.state.me) ? ' mine' : ''}`;
    chip.textContent = `${REACTION_GLYPHS[reaction.name] ?? `:${reaction.name}:`} ${reaction.count}`;
    chip.title = reaction.users.map((id) => ctx().userName(id)).join(', ');
    chip.addEventListener('click', () => toggleReaction(message, reaction.name));
    row.append(chip);
  }
  return row;
}

function toggleReaction(message, name) {
  api('/playground/api/react', { channel: message.channel, ts: message.ts, name }).catch(showError);
}

function openThread(message) {
  view.thread = { channel: message.channel, ts: message.thread_ts ?? message.ts };
  render();
}

function renderModal(modal) {
  const backdrop = $('modal-backdrop');
  if (!modal) {
    backdrop.hidden = true;
    backdrop.replaceChildren();
    view.modalId = null;
    return;
  }
  if (view.modalId === modal.id && view.modalHash === modal.hash) return; // keep what the person typed
  // Slack keeps what the person typed when the app updates the modal under them (views.update).
  const typed = view.modalId === modal.id ? typedValues(backdrop) : new Map();
  if (view.modalId !== modal.id) view.modalErrors = {};
  view.modalId = modal.id;
  view.modalHash = modal.hash;
  const dialog = document.createElement('form');
  dialog.className = 'modal';
  dialog.noValidate = true; // deskhand validates, as Slack leaves it to the app
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-label', modal.title?.text ?? 'Modal');
  const header = document.createElement('header');
  header.textContent = modal.title?.text ?? '';
  const body = renderBlocks(modal.blocks, {
    ...ctx(),
    errors: view.modalErrors,
    onAction: (element) =>
      api('/playground/api/click', {
        viewId: modal.id,
        actionId: element.action_id,
        value: element.value,
      }).catch(showError),
  });
  body.classList.add('modal-body');
  for (const control of body.querySelectorAll('[data-action-id][data-block-id]')) {
    const value = typed.get(`${control.dataset.blockId}/${control.dataset.actionId}`);
    if (value !== undefined) control.value = value;
  }
  const footer = document.createElement('footer');
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'bk-button';
  close.textContent = modal.close?.text ?? 'Cancel';
  close.addEventListener('click', () =>
    api('/playground/api/close-view', { viewId: modal.id }).then(scheduleRefresh, showError),
  );
  footer.append(close);
  if (modal.submit) {
    const submit = document.createElement('button');
    submit.type = 'submit';
    submit.className = 'bk-button primary';
    submit.textContent = modal.submit.text;
    footer.append(submit);
  }
  dialog.append(header, body, footer);
  dialog.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const control of dialog.querySelectorAll('[data-action-id]')) {
      if ('value' in control && control.tagName !== 'BUTTON')
        values[control.dataset.actionId] = control.value;
    }
    const result = await api('/playground/api/submit-view', { viewId: modal.id, values }).catch(showError);
    // `response_action: errors` keeps the modal open with each message under its input.
    view.modalErrors = result?.outcome === 'errors' ? result.errors : {};
    for (const field of dialog.querySelectorAll('.bk-input')) {
      field.querySelector('.error').textContent = view.modalErrors[field.dataset.blockId] ?? '';
    }
    scheduleRefresh();
  });
  backdrop.replaceChildren(dialog);
  backdrop.hidden = false;
}

/** What the person changed in the open modal, by block and action id. */
function typedValues(container) {
  const typed = new Map();
  for (const control of container.querySelectorAll('[data-action-id][data-block-id]')) {
    if (control.value !== control.dataset.initialValue)
      typed.set(`${control.dataset.blockId}/${control.dataset.actionId}`, control.value);
  }
  return typed;
}

let noticeTimer = null;
/** Shows why a click or a message did not go through, until the next one or for a few seconds. */
function showError(error) {
  const notice = $('notice');
  notice.textContent = `⚠ ${error.message}`;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    notice.hidden = true;
  }, 8000);
}

async function send(input, threadTs) {
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  await api('/playground/api/send', {
    channel: threadTs ? view.thread.channel : view.channel,
    text,
    threadTs,
  }).catch(showError);
}

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  send($('composer-input'));
});
$('thread-composer').addEventListener('submit', (event) => {
  event.preventDefault();
  send($('thread-input'), view.thread?.ts);
});
for (const [input, form] of [
  ['composer-input', 'composer'],
  ['thread-input', 'thread-composer'],
]) {
  $(input).addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $(form).requestSubmit();
    }
  });
}
$('close-thread').addEventListener('click', () => {
  view.thread = null;
  render();
});
$('user-select').addEventListener('change', (event) => {
  view.me = event.target.value;
  view.thread = null;
  refresh();
});

const events = new EventSource('/playground/events');
events.onopen = () => {
  $('connection').textContent = 'live';
  scheduleRefresh();
};
events.onerror = () => {
  $('connection').textContent = 'reconnecting…';
};
events.onmessage = scheduleRefresh;
refresh();
