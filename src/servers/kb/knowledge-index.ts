import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import type { Logger } from '../../observability/logger.js';
import { analyse } from '../../support/analysis.js';
import { BoundedCache } from '../../support/bounded-cache.js';

/** One markdown file of the knowledge folder, parsed. */
export interface KnowledgeArticle {
  /** Path relative to the knowledge folder, with forward slashes: the index id. */
  path: string;
  /** Absolute path on disk. */
  absolutePath: string;
  title: string;
  /** Front matter `url`, else a file:// URL of the file. */
  url: string;
  tags: string[];
  /** Section headings below the title, as plain text. */
  headings: string[];
  /** The article's text without front matter, title or headings, markdown markup removed. */
  body: string;
  /** The markdown as written, without front matter. */
  content: string;
  /** The article by section: the text before the first heading, then each headed section (numbered steps kept as "1. "). */
  sections: KnowledgeSection[];
}

/** One section of an article: its heading (none for the opening text) and its plain text. */
export interface KnowledgeSection {
  heading?: string;
  text: string;
}

export interface KnowledgeHit {
  article: KnowledgeArticle;
  /** minisearch's relevance score: higher is better, comparable only within one search. */
  score: number;
  /** The indexed words that matched, after fuzzy and prefix expansion; useful for snippets. */
  matchedTerms: string[];
  /** The query's own words, as the index understood them. */
  queryTerms: string[];
  /** The section that matched best, by its index in `article.sections`. */
  section?: number;
}

/** The knowledge folder is missing or unreadable; the message says what to do about it. */
export class KnowledgeFolderError extends Error {
  override name = 'KnowledgeFolderError';
}

const SEARCH_OPTIONS = {
  boost: { title: 3, tags: 2, headings: 1.5 },
  fuzzy: 0.2,
  prefix: true,
  combineWith: 'OR',
} as const;

type IndexedFields = {
  /** The article's path, or `path#n` for its n-th section. */
  id: string;
  title: string;
  headings: string;
  tags: string;
  body: string;
};

/** How much a section's match counts next to its whole article's. */
const ARTICLE_WEIGHT = 0.5;

/** A search for one word already analysed: minisearch must not split or stem it again. */
const ONE_WORD = { tokenize: (word: string) => [word], processTerm: (word: string) => word } as const;

/** One document's match for one query word, scored as minisearch scores that word alone. */
interface WordMatch {
  id: string;
  score: number;
  /** The indexed words it matched (itself, its typos and longer forms). */
  terms: string[];
}

/** What minisearch indexes of each article: the whole article, and each of its sections apart. */
function documentsOf(articles: readonly KnowledgeArticle[]): IndexedFields[] {
  return articles.flatMap((article) => [
    {
      id: article.path,
      title: article.title,
      tags: article.tags.join(' '),
      headings: article.headings.join('\n'),
      body: article.body,
    },
    ...article.sections.map((section, index) => ({
      id: `${article.path}#${index}`,
      title: article.title,
      tags: article.tags.join(' '),
      headings: section.heading ?? '',
      body: section.text,
    })),
  ]);
}

/** A document matched by a whole query, as minisearch's `search` returns it. */
export interface QueryMatch {
  id: string;
  score: number;
  terms: string[];
  queryTerms: string[];
}

/**
 * A minisearch index over a set of articles, each indexed whole and section by section, so that a
 * question answered by one section of a long article still finds it. Words are read as deskhand's
 * core reads them (synonyms and abbreviations folded, stemmed, question words left out); typos and
 * word beginnings still match. Immutable: a changed folder gets a new index.
 */
export class KnowledgeIndex {
  private readonly search: MiniSearch<IndexedFields>;
  private readonly articles = new Map<string, KnowledgeArticle>();
  /**
   * Each query word's matches. Questions share most of their words, and matching one word (its
   * typos and longer forms: a walk of the whole term tree) is the dearest part of a search.
   */
  private readonly wordMatches = new BoundedCache<readonly WordMatch[]>(1000);

  /** An index of `articles`, built at once; `KnowledgeIndex.build` builds one without holding up the process. */
  constructor(articles: readonly KnowledgeArticle[], options: { empty?: true } = {}) {
    this.search = new MiniSearch<IndexedFields>({
      idField: 'id',
      fields: ['title', 'tags', 'headings', 'body'],
      tokenize: (text) => analyse(text),
      processTerm: (term) => term,
      searchOptions: SEARCH_OPTIONS,
    });
    for (const article of articles) this.articles.set(article.path, article);
    if (!options.empty) this.search.addAll(documentsOf(articles));
  }

  /**
   * Builds the index a few documents at a time, letting the event loop serve what arrives in
   * between: the built-in kb is indexed while the bot already answers Slack (a folder of 40
   * articles took 0.3-0.5 s in one piece, during which no request was even acked).
   */
  static async build(articles: readonly KnowledgeArticle[]): Promise<KnowledgeIndex> {
    const index = new KnowledgeIndex(articles, { empty: true });
    await index.search.addAllAsync(documentsOf(articles), { chunkSize: 16 });
    return index;
  }

  get size(): number {
    return this.articles.size;
  }

  /** The best `limit` articles for `query`, best first; empty when nothing matches. */
  query(query: string, limit: number): KnowledgeHit[] {
    const byArticle = new Map<
      string,
      { whole: number; best: number; section?: number; terms: Set<string>; queryTerms: Set<string> }
    >();
    for (const result of this.matches(query)) {
      const id = String(result.id);
      const hash = id.lastIndexOf('#');
      const path = hash >= 0 && !this.articles.has(id) ? id.slice(0, hash) : id;
      const entry = byArticle.get(path) ?? { whole: 0, best: 0, terms: new Set(), queryTerms: new Set() };
      if (path === id) entry.whole = result.score;
      else if (result.score > entry.best) {
        entry.best = result.score;
        entry.section = Number(id.slice(hash + 1));
      }
      for (const term of result.terms) entry.terms.add(term);
      for (const term of result.queryTerms) entry.queryTerms.add(term);
      byArticle.set(path, entry);
    }
    return [...byArticle.entries()]
      .map(([path, entry]) => ({ path, entry, score: entry.best + ARTICLE_WEIGHT * entry.whole }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .flatMap(({ path, entry, score }) => {
        const article = this.articles.get(path);
        if (!article) return [];
        return [
          {
            article,
            score,
            matchedTerms: [...entry.terms],
            queryTerms: [...entry.queryTerms],
            ...(entry.section !== undefined ? { section: entry.section } : {}),
          },
        ];
      });
  }

  /**
   * What `search.search(query)` returns, built from each word's own matches (kept per word): an
   * OR query in minisearch sums each word's score per document and multiplies the sum by the
   * number of distinct query words the document matched. The words are summed in the question's
   * order, as minisearch does, so the scores are the same to the last bit.
   */
  matches(query: string): QueryMatch[] {
    // The matched words are gathered as keys of an object, as minisearch does: their order
    // (numbers first, then the rest as met) is part of the result.
    const combined = new Map<string, { score: number; terms: Record<string, true>; queryTerms: string[] }>();
    for (const word of analyse(query)) {
      for (const match of this.wordMatches.get(word, () => this.matchWord(word))) {
        const entry = combined.get(match.id);
        if (!entry) {
          const terms: Record<string, true> = {};
          for (const term of match.terms) terms[term] = true;
          combined.set(match.id, { score: match.score, terms, queryTerms: [word] });
          continue;
        }
        entry.score += match.score;
        for (const term of match.terms) entry.terms[term] = true;
        if (!entry.queryTerms.includes(word)) entry.queryTerms.push(word);
      }
    }
    return [...combined]
      .map(([id, entry]) => ({
        id,
        score: entry.score * entry.queryTerms.length,
        terms: Object.keys(entry.terms),
        queryTerms: entry.queryTerms,
      }))
      .sort((a, b) => b.score - a.score);
  }

  private matchWord(word: string): WordMatch[] {
    return this.search
      .search(word, ONE_WORD)
      .map((result) => ({ id: String(result.id), score: result.score, terms: result.terms }));
  }

  /** minisearch's own search of the whole query, for checking `matches` against it. */
  searchWhole(query: string): QueryMatch[] {
    return this.search.search(query).map((result) => ({
      id: String(result.id),
      score: result.score,
      terms: result.terms,
      queryTerms: result.queryTerms,
    }));
  }
}

export interface KnowledgeBaseOptions {
  knowledgeDir: string;
  logger?: Logger;
  /**
   * How long a freshness check stays valid, in ms. Each search after that lists the folder and
   * compares file sizes and modification times, rebuilding the index only when they changed.
   * 0 checks on every search.
   */
  freshnessMs?: number;
}

interface FileStamp {
  absolutePath: string;
  path: string;
  mtimeMs: number;
  size: number;
}

/**
 * The knowledge folder as a search index that follows the files: loaded on first use, rebuilt
 * when a markdown file is added, changed or removed. One instance can serve many MCP sessions.
 */
export class KnowledgeBase {
  readonly knowledgeDir: string;
  private readonly logger: Logger | undefined;
  private readonly freshnessMs: number;
  private current: { index: KnowledgeIndex; fingerprint: string; checkedAt: number } | undefined;
  private refreshing: Promise<KnowledgeIndex> | undefined;
  /** Parsed articles by absolute path, reused while a file's size and mtime stay the same. */
  private readonly parsed = new Map<string, { stamp: string; article: KnowledgeArticle }>();

  constructor(options: KnowledgeBaseOptions) {
    this.knowledgeDir = resolve(options.knowledgeDir);
    this.logger = options.logger;
    this.freshnessMs = options.freshnessMs ?? 1000;
  }

  /** The best `limit` articles for `query`, from an index no older than the folder's files. */
  async search(query: string, limit: number): Promise<KnowledgeHit[]> {
    const index = await this.index();
    return index.query(query, limit);
  }

  /** The current index, rebuilt first if the folder changed since the last check. */
  index(): Promise<KnowledgeIndex> {
    if (this.current && Date.now() - this.current.checkedAt < this.freshnessMs) {
      return Promise.resolve(this.current.index);
    }
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<KnowledgeIndex> {
    const stamps = await this.listFiles();
    const fingerprint = stamps.map((file) => `${file.path}\0${file.mtimeMs}\0${file.size}`).join('\n');
    if (this.current && this.current.fingerprint === fingerprint) {
      this.current.checkedAt = Date.now();
      return this.current.index;
    }
    const articles = (await Promise.all(stamps.map((file) => this.loadArticle(file)))).filter(
      (article): article is KnowledgeArticle => article !== undefined,
    );
    const live = new Set(stamps.map((file) => file.absolutePath));
    for (const path of this.parsed.keys()) if (!live.has(path)) this.parsed.delete(path);

    const index = await KnowledgeIndex.build(articles);
    this.current = { index, fingerprint, checkedAt: Date.now() };
    if (articles.length === 0) {
      this.logger?.warn({ knowledgeDir: this.knowledgeDir }, 'the knowledge folder has no markdown articles');
    } else {
      this.logger?.info(
        { knowledgeDir: this.knowledgeDir, articles: articles.length },
        'knowledge index built',
      );
    }
    return index;
  }

  private async loadArticle(file: FileStamp): Promise<KnowledgeArticle | undefined> {
    const stamp = `${file.mtimeMs}:${file.size}`;
    const cached = this.parsed.get(file.absolutePath);
    if (cached?.stamp === stamp) return cached.article;
    try {
      const markdown = await readFile(file.absolutePath, 'utf8');
      const article = parseArticle(markdown, file.absolutePath, file.path, (message) =>
        this.logger?.warn({ file: file.path }, message),
      );
      this.parsed.set(file.absolutePath, { stamp, article });
      return article;
    } catch (error) {
      // One unreadable file must not take the whole knowledge base down.
      this.logger?.warn({ err: error, file: file.path }, 'skipped an unreadable article');
      return undefined;
    }
  }

  /** Every *.md file under the folder, skipping hidden folders and node_modules, sorted by path. */
  private async listFiles(): Promise<FileStamp[]> {
    const root = this.knowledgeDir;
    let rootStat: Awaited<ReturnType<typeof stat>>;
    try {
      rootStat = await stat(root);
    } catch (error) {
      throw folderError(root, error);
    }
    if (!rootStat.isDirectory()) {
      throw new KnowledgeFolderError(
        `The knowledge folder ${root} is a file, not a folder. Set KNOWLEDGE_DIR to a folder of markdown (.md) articles.`,
      );
    }

    const files: FileStamp[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (dir === root) throw folderError(root, error);
        this.logger?.warn({ err: error, dir }, 'skipped an unreadable folder of the knowledge base');
        return;
      }
      await Promise.all(
        entries.map(async (entry) => {
          if (entry.name.startsWith('.') || entry.name === 'node_modules') return;
          const absolutePath = join(dir, entry.name);
          if (entry.isDirectory()) return walk(absolutePath);
          if (!entry.isFile() || !entry.name.toLowerCase().endsWith('.md')) return;
          try {
            const info = await stat(absolutePath);
            const path = relative(root, absolutePath).split(sep).join('/');
            files.push({ absolutePath, path, mtimeMs: info.mtimeMs, size: info.size });
          } catch {
            // Deleted between readdir and stat: it is simply not there any more.
          }
        }),
      );
    };
    await walk(root);
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

function folderError(root: string, error: unknown): KnowledgeFolderError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new KnowledgeFolderError(
      `The knowledge folder ${root} does not exist. Create it with a few markdown (.md) articles, or set KNOWLEDGE_DIR to the folder that holds them.`,
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new KnowledgeFolderError(
      `The knowledge folder ${root} cannot be read (permission denied). Give the deskhand process read access to it, or set KNOWLEDGE_DIR to another folder.`,
    );
  }
  return new KnowledgeFolderError(
    `The knowledge folder ${root} cannot be read (${(error as Error).message}). Check KNOWLEDGE_DIR.`,
  );
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Parses one markdown article: YAML front matter (`title`, `url`, `tags`, all optional), the
 * first `# ` heading as the title when the front matter has none, else the file name.
 */
export function parseArticle(
  markdown: string,
  absolutePath: string,
  path: string,
  warn: (message: string) => void = () => {},
): KnowledgeArticle {
  let meta: Record<string, unknown> = {};
  let content = markdown.replace(/^\uFEFF/, '');
  const frontMatter = FRONT_MATTER.exec(content);
  if (frontMatter) {
    content = content.slice(frontMatter[0].length);
    try {
      const parsed: unknown = parseYaml(frontMatter[1] ?? '');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        meta = parsed as Record<string, unknown>;
    } catch (error) {
      warn(`front matter is not valid YAML, ignored: ${(error as Error).message}`);
    }
  }

  const lines = content.split(/\r?\n/);
  const headingLines = new Map<number, { level: number; text: string }>();
  let inFence = false;
  lines.forEach((line, lineNumber) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading)
      headingLines.set(lineNumber, { level: heading[1]?.length ?? 1, text: inlineText(heading[2] ?? '') });
  });

  const firstTitle = [...headingLines.entries()].find(([, heading]) => heading.level === 1);
  const metaTitle = typeof meta.title === 'string' && meta.title.trim() ? meta.title.trim() : undefined;
  const title = metaTitle ?? firstTitle?.[1].text ?? titleFromFileName(path);
  const titleLine =
    firstTitle && (!metaTitle || firstTitle[1].text === metaTitle) ? firstTitle[0] : undefined;

  const headings = [...headingLines.entries()]
    .filter(([lineNumber]) => lineNumber !== titleLine)
    .map(([, heading]) => heading.text);
  const bodyLines = lines.filter((_, lineNumber) => !headingLines.has(lineNumber));

  const url =
    typeof meta.url === 'string' && meta.url.trim() ? meta.url.trim() : pathToFileURL(absolutePath).href;
  const tags = Array.isArray(meta.tags)
    ? meta.tags.map(String)
    : typeof meta.tags === 'string'
      ? meta.tags.split(',').map((tag) => tag.trim())
      : [];

  const sections: KnowledgeSection[] = [];
  let current: { heading?: string; lines: string[] } = { lines: [] };
  const closeSection = () => {
    const text = markdownToText(current.lines.join('\n'), { keepSteps: true });
    if (text) sections.push({ ...(current.heading ? { heading: current.heading } : {}), text });
  };
  lines.forEach((line, lineNumber) => {
    const heading = headingLines.get(lineNumber);
    if (!heading) {
      current.lines.push(line);
      return;
    }
    if (lineNumber === titleLine) return;
    closeSection();
    current = { heading: heading.text, lines: [] };
  });
  closeSection();

  return {
    path,
    absolutePath,
    title,
    url,
    tags: tags.filter(Boolean),
    headings,
    body: markdownToText(bodyLines.join('\n')),
    content: content.trim(),
    sections,
  };
}

/**
 * Plain text of a markdown fragment: no markup, table rows as "cell · cell.", and each list item
 * ending in punctuation so items do not run together in a snippet. With `keepSteps`, numbered
 * items keep their number ("1. ") so a reply can show them as steps.
 */
export function markdownToText(markdown: string, options: { keepSteps?: boolean } = {}): string {
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, '').split(/\r?\n/);
  const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;
  const text: string[] = [];
  let openItem = -1;
  const closeItem = () => {
    const last = text[openItem];
    if (openItem >= 0 && last && !/[.!?:;…]$/.test(last)) text[openItem] = `${last}.`;
    openItem = -1;
  };
  // With keepSteps (a reply's passages), a paragraph wrapped over several lines is one line of text.
  let openParagraph = -1;
  for (const line of lines) {
    if (!line.trim()) openParagraph = -1;
    if (/^\s*(```|~~~)/.test(line) || /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line))
      continue;
    if (/^\s*\|.*\|\s*$/.test(line)) {
      closeItem();
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map(inlineText)
        .filter(Boolean);
      text.push(`${cells.join(' · ')}.`);
      openParagraph = -1;
      continue;
    }
    const isItem = LIST_ITEM.test(line);
    const isContinuation = !isItem && openItem >= 0 && /^\s+\S/.test(line);
    if (!isContinuation) closeItem();
    const plain = inlineText(line.replace(LIST_ITEM, '').replace(/^\s*>\s?/, ''));
    if (!plain) continue;
    const number = options.keepSteps ? /^\s*(\d+)[.)]\s+/.exec(line)?.[1] : undefined;
    const isQuote = /^\s*>/.test(line);
    if (isContinuation) {
      text[openItem] = `${text[openItem]} ${plain}`;
    } else if (options.keepSteps && !isItem && !isQuote && openParagraph >= 0) {
      text[openParagraph] = `${text[openParagraph]} ${plain}`;
    } else {
      if (options.keepSteps && !isItem && !isQuote) openParagraph = text.length;
      else openParagraph = -1;
      text.push(number ? `${number}. ${plain}` : plain);
      if (isItem) openItem = text.length - 1;
    }
  }
  closeItem();
  return text.join('\n');
}

/** Inline markdown to text: links keep their words, images go, emphasis and code marks go. */
function inlineText(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:[^>\s]+)>/g, '$1')
    .replace(/<\/?(?:a|b|i|u|em|strong|code|kbd|br|p|div|span|img|sup|sub|details|summary)\b[^>]*>/gi, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function titleFromFileName(path: string): string {
  const name = basename(path).replace(/\.md$/i, '').replace(/[-_]+/g, ' ').trim();
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : path;
}

/** The YAML parser, loaded with the first article that has front matter (not at `deskhand mcp kb`'s start). */
function parseYaml(text: string): unknown {
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(text);
}
