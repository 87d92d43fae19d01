// The README and docs/ as a reader follows them: every relative link lands on a file that exists and,
// with an anchor, on a heading that exists (GitHub's slugs); every docs page is reachable from the
// README and says what it is for. External links are not fetched (no network in CI).
import { describe, expect, it } from '@jest/globals';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const markdown = new MarkdownIt();

function pagesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? pagesUnder(path.join(dir, entry.name)) : entry.name.endsWith('.md') ? [path.join(dir, entry.name)] : [],
  );
}
const DOCS = pagesUnder('docs');
const PAGES = ['README.md', ...DOCS];

interface Page {
  links: string[];
  anchors: Set<string>;
  title: string | undefined;
  firstParagraph: string | undefined;
}

function read(page: string): Page {
  const tokens = markdown.parse(readFileSync(path.join(root, page), 'utf8'), {});
  const slugger = new GithubSlugger();
  const links: string[] = [];
  const anchors = new Set<string>();
  let title: string | undefined;
  let firstParagraph: string | undefined;
  tokens.forEach((token, i) => {
    const inline = tokens[i + 1];
    if (token.type === 'heading_open' && inline) {
      anchors.add(slugger.slug(inline.content));
      if (token.tag === 'h1') title ??= inline.content;
    }
    if (token.type === 'paragraph_open' && inline && token.level === 0) firstParagraph ??= inline.content;
    for (const child of token.children ?? []) {
      const href = child.type === 'link_open' ? child.attrGet('href') : null;
      if (href) links.push(href);
    }
  });
  return { links, anchors, title, firstParagraph };
}
const parsed = new Map(PAGES.map((page) => [page, read(page)]));

describe('docs', () => {
  it('has the pages the README promises', () => {
    expect(DOCS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(PAGES)('%s: every relative link and anchor resolves', (page) => {
    const dead: string[] = [];
    for (const href of parsed.get(page)!.links) {
      if (/^[a-z][a-z+.-]*:/i.test(href)) continue; // external (https:, mailto:): not fetched here
      const [target = '', anchor] = href.split('#');
      const file = target === '' ? page : path.normalize(path.join(path.dirname(page), decodeURIComponent(target)));
      if (!existsSync(path.join(root, file))) {
        dead.push(`${href} (no ${file})`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(path.join(root, file)).isDirectory() || !file.endsWith('.md')) {
        dead.push(`${href} (an anchor into something that is not a markdown page)`);
        continue;
      }
      const anchors = parsed.get(file)?.anchors ?? read(file).anchors;
      if (!anchors.has(anchor)) dead.push(`${href} (no heading #${anchor} in ${file}; it has ${[...anchors].join(', ')})`);
    }
    expect(dead).toEqual([]);
  });

  it('the README links to every docs page', () => {
    const linked = new Set(parsed.get('README.md')!.links.map((href) => path.normalize(href.split('#')[0]!)));
    expect(DOCS.filter((page) => !linked.has(page))).toEqual([]);
  });

  it("the README's table of what is served is the one the document gives today (node scripts/served-table.mjs)", async () => {
    const { servedTable, publishedDocuments } = (await import(path.join(root, 'scripts/served-table.mjs'))) as {
      servedTable: (document: unknown, older: Record<string, unknown>) => string;
      publishedDocuments: () => [unknown, Record<string, unknown>];
    };
    const [current, older] = publishedDocuments();
    // A column per older version: every document in spec/sequence/ is counted.
    expect(Object.keys(older)).toEqual(['2024-05-09', '2024-01-01']);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(servedTable(current, older));
  });

  it.each(DOCS)('%s starts with a title and what a reader comes for', (page) => {
    const { title, firstParagraph } = parsed.get(page)!;
    expect(title).toBeTruthy();
    expect(firstParagraph).toMatch(/^Read this (to|for|before) /);
  });
});
