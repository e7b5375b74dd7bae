import { chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadArticles, loadQuestions } from '../../../bench/answer-quality.js';
import {
  KnowledgeBase,
  KnowledgeFolderError,
  KnowledgeIndex,
  markdownToText,
  parseArticle,
} from '../../../src/servers/kb/knowledge-index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskhand-kb-'));
  await writeFile(
    join(dir, 'password.md'),
    [
      '---',
      'title: Reset your password',
      'url: https://help.example/articles/reset-password',
      'tags: [login, account]',
      '---',
      '',
      '# Reset your password',
      '',
      'Click **Forgot password?** on the sign-in page and follow the [email link](https://x.example).',
      '',
      '## The email did not arrive',
      '',
      '- Check your spam folder',
      '- Wait five minutes',
    ].join('\n'),
  );
  await mkdir(join(dir, 'billing'));
  await writeFile(
    join(dir, 'billing', 'invoices.md'),
    '# Download invoices\n\nOpen Settings, then Billing, then Invoices and download the PDF.\n',
  );
  await writeFile(join(dir, 'notes.txt'), 'password password password: not an article');
  await mkdir(join(dir, '.git'));
  await writeFile(join(dir, '.git', 'password.md'), '# Password in a hidden folder');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('KnowledgeBase', () => {
  it('indexes markdown files recursively, skipping other files and hidden folders', async () => {
    const kb = new KnowledgeBase({ knowledgeDir: dir, freshnessMs: 0 });
    const index = await kb.index();
    expect(index.size).toBe(2);

    const [first] = await kb.search('password', 5);
    expect(first?.article).toMatchObject({
      path: 'password.md',
      title: 'Reset your password',
      url: 'https://help.example/articles/reset-password',
      tags: ['login', 'account'],
    });
    expect((await kb.search('invoices', 5)).map((hit) => hit.article.path)).toEqual(['billing/invoices.md']);
  });

  it('finds an article despite a typo and from a word beginning', async () => {
    const kb = new KnowledgeBase({ knowledgeDir: dir, freshnessMs: 0 });
    expect((await kb.search('pasword', 5))[0]?.article.path).toBe('password.md');
    expect((await kb.search('invoi', 5))[0]?.article.path).toBe('billing/invoices.md');
  });

  it('ranks a title match above a body mention', async () => {
    await writeFile(
      join(dir, 'sso.md'),
      '# Single sign-on\n\nWith SSO you do not need a password for Acme.\n',
    );
    const kb = new KnowledgeBase({ knowledgeDir: dir, freshnessMs: 0 });
    const paths = (await kb.search('password', 5)).map((hit) => hit.article.path);
    expect(paths.slice(0, 2)).toEqual(['password.md', 'sso.md']);
  });

  it('picks up an added, a changed and a removed article on the next search', async () => {
    const kb = new KnowledgeBase({ knowledgeDir: dir, freshnessMs: 0 });
    expect(await kb.search('webhooks', 5)).toEqual([]);

    await writeFile(join(dir, 'webhooks.md'), '# Webhooks\n\nWebhooks send a POST to your server.\n');
    expect((await kb.search('webhooks', 5))[0]?.article.title).toBe('Webhooks');

    await writeFile(
      join(dir, 'webhooks.md'),
      '# Event hooks\n\nEvent hooks send a POST to your server, signed.\n',
    );
    // A different size and a later mtime: what a real edit looks like even on a coarse-clock file system.
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'webhooks.md'), later, later);
    expect((await kb.search('signed', 5))[0]?.article.title).toBe('Event hooks');

    await rm(join(dir, 'webhooks.md'));
    expect(await kb.search('signed', 5)).toEqual([]);
  });

  it('keeps the index between searches while files are unchanged', async () => {
    const kb = new KnowledgeBase({ knowledgeDir: dir, freshnessMs: 0 });
    const first = await kb.index();
    expect(await kb.index()).toBe(first);
  });

  it('explains a missing folder in words a person can act on', async () => {
    const kb = new KnowledgeBase({ knowledgeDir: join(dir, 'nope'), freshnessMs: 0 });
    const error = await kb.search('password', 5).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KnowledgeFolderError);
    expect((error as Error).message).toMatch(/does not exist.*KNOWLEDGE_DIR/);
  });

  it('explains a path that is a file, not a folder', async () => {
    const kb = new KnowledgeBase({ knowledgeDir: join(dir, 'notes.txt'), freshnessMs: 0 });
    await expect(kb.search('password', 5)).rejects.toThrow(/is a file, not a folder/);
  });

  it.skipIf(process.getuid?.() === 0)('skips an unreadable article instead of failing', async () => {
    await writeFile(join(dir, 'secret.md'), '# Secret password policy\n');
    await chmod(join(dir, 'secret.md'), 0o000);
    const kb = new KnowledgeBase({ knowledgeDir: dir, freshnessMs: 0 });
    expect((await kb.search('password', 5)).map((hit) => hit.article.path)).toEqual(['password.md']);
  });
});

describe('KnowledgeIndex matches', () => {
  it("equal minisearch's own search of the whole question, word for word and to the last bit of each score", async () => {
    // The shipped knowledge and the answer-quality questions: chatty, with typos, numbers and repeats.
    const index = await new KnowledgeBase({ knowledgeDir: 'knowledge' }).index();
    const questions = loadQuestions('bench/data/answer-quality.jsonl').map((labelled) => labelled.question);
    expect(questions.length).toBeGreaterThan(200);
    for (const question of [...questions, 'password password reset', 'Passwort zurücksetzen', '']) {
      // Twice: the second time from the words' kept matches.
      expect(index.matches(question), question).toEqual(index.searchWhole(question));
      expect(index.matches(question), question).toEqual(index.searchWhole(question));
    }
  });
});

describe('KnowledgeIndex.build', () => {
  it('builds the same index as the constructor, letting other work run while it does', async () => {
    const articles = loadArticles('knowledge');
    let ranMeanwhile = false;
    setTimeout(() => {
      ranMeanwhile = true;
    }, 0);
    const built = KnowledgeIndex.build(articles);
    const whole = new KnowledgeIndex(articles);
    const index = await built;
    expect(ranMeanwhile).toBe(true);
    for (const question of ['how do i reset my password', 'okta provisioning 401', 'export a csv of tasks'])
      expect(index.matches(question)).toEqual(whole.matches(question));
  });
});

describe('parseArticle', () => {
  it('takes the title from the first heading, else the file name, and the URL from the file', () => {
    const withHeading = parseArticle('Intro line\n\n# Data export\n\nText.', '/kb/export.md', 'export.md');
    expect(withHeading.title).toBe('Data export');
    expect(withHeading.url).toBe(pathToFileURL('/kb/export.md').href);

    expect(parseArticle('Just text.', '/kb/two-factor_auth.md', 'two-factor_auth.md').title).toBe(
      'Two factor auth',
    );
  });

  it('keeps headings apart from the body and the markdown as content', () => {
    const article = parseArticle(
      '# Title\n\n## Steps\n\n1. Open **Settings**\n2. Click `Save`\n',
      '/k/a.md',
      'a.md',
    );
    expect(article.headings).toEqual(['Steps']);
    expect(article.body).toBe('Open Settings.\nClick Save.');
    expect(article.content).toBe('# Title\n\n## Steps\n\n1. Open **Settings**\n2. Click `Save`');
  });

  it('ignores broken front matter but still reads the article', () => {
    const warnings: string[] = [];
    const article = parseArticle('---\ntitle: [unclosed\n---\n# Real title\n', '/k/a.md', 'a.md', (message) =>
      warnings.push(message),
    );
    expect(article.title).toBe('Real title');
    expect(warnings).toHaveLength(1);
  });
});

describe('markdownToText', () => {
  it('turns tables into rows of cells and drops markup', () => {
    const text = markdownToText(
      '| Plan | Limit |\n|---|---|\n| Free | 60 |\n\nSee [the docs](https://x) and <https://status.example>.',
    );
    expect(text).toBe('Plan · Limit.\nFree · 60.\nSee the docs and https://status.example.');
  });

  it('joins a list item with its continuation lines', () => {
    expect(markdownToText('- Authenticator app: scan the\n  QR code\n- SMS')).toBe(
      'Authenticator app: scan the QR code.\nSMS.',
    );
  });
});
