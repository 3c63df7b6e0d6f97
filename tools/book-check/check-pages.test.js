// The page check can fail: a page built to break each rule is caught, rule
// by rule, and a page that only looks risky (a long line in a code block
// that scrolls on its own) is not. Run with `npm test` in this folder.

'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const { checkBook } = require('./check-pages.js');

const picture = (width) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40" viewBox="0 0 ${width} 40">` +
  `<title>a test picture</title><rect width="${width}" height="40" fill="#ccc"/></svg>`;

// The shape of an mdBook page: the text column is `main`, 750 px at most.
const page = (body) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">` +
  `<style>main { max-width: 750px; margin: 0 auto; } pre { overflow-x: auto; }</style>` +
  `</head><body><main>${body}</main></body></html>`;

function book(pages) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'book-check-'));
  fs.writeFileSync(path.join(root, 'fits.svg'), picture(700));
  fs.writeFileSync(path.join(root, 'wide.svg'), picture(1200));
  for (const [name, body] of Object.entries(pages)) fs.writeFileSync(path.join(root, name), page(body));
  return root;
}

const LONG_LINE = 'x'.repeat(400);

test('a page that breaks every rule is reported, naming page and element', async () => {
  const root = book({
    'broken.html':
      '<div id="too-wide" style="width: 2000px">a table that is too wide</div>' +
      '<p><img src="wide.svg" alt="a wide diagram"></p>' +
      '<p><img src="fits.svg" alt="a squeezed diagram" style="width: 200px"></p>' +
      '<p><img src="missing.svg" alt="a missing diagram"></p>' +
      '<script>console.error("something broke")</script>',
  });
  try {
    const { pages, problems } = await checkBook(root);
    assert.deepEqual(pages, ['broken.html']);
    const expected = [
      /^broken\.html: the page is \d+ px wide in a 1280 px window: div#too-wide/,
      /^broken\.html: img src="wide\.svg" "a wide diagram" is 1200 px wide, the column 750 px$/,
      /^broken\.html: img src="fits\.svg" "a squeezed diagram" is shrunk to 29% of its width/,
      /^broken\.html: http:\/\/127\.0\.0\.1:\d+\/missing\.svg answered 404$/,
      /^broken\.html: img src="missing\.svg" "a missing diagram" did not load$/,
      /^broken\.html: console error: something broke$/,
    ];
    for (const pattern of expected) {
      assert.ok(problems.some((problem) => pattern.test(problem)), `${pattern} in ${problems.join('\n')}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});

test('a long line in a scrolling code block and a picture that fits pass', async () => {
  const root = book({
    'fine.html': `<pre><code>${LONG_LINE}</code></pre><p><img src="fits.svg" alt="a diagram"></p>`,
  });
  try {
    const { problems } = await checkBook(root);
    assert.deepEqual(problems, []);
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});
