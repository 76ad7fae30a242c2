// The briefs' YAML format for the form (docs/cms.md): a save changes only the
// lines of what the editor changed. Reading a file keeps its text; writing
// puts the form's values into that text with the `yaml` library's Document
// API, which keeps comments, quoting, flow lists, key order and blank lines.
// The library writes a document in its own layout (one space before a
// comment, say), so each line that did not change is then taken from the
// file as it was. A new file is written whole.
import { isMap, isScalar, isSeq, parseDocument, stringify } from './yaml/dist/index.js';

export const FORMAT = 'briefs-yaml';
// Where an entry's values carry the text they were read from; never written.
const ORIGINAL = '__briefs_original_text';
// The layouts a file may be written in, tried in turn: the first in which the
// file reads back as itself is the one its edits are written in.
const LAYOUTS = [
  { lineWidth: 0, flowCollectionPadding: false },
  { lineWidth: 0, flowCollectionPadding: true },
  { lineWidth: 0, flowCollectionPadding: false, indentSeq: false },
  { lineWidth: 0, flowCollectionPadding: true, indentSeq: false },
];
// A new file, in the layout of the CMS's own YAML output.
const NEW_FILE = { lineWidth: 0, indentSeq: true };

const isRecord = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isComposite = (value) => value !== null && typeof value === 'object';

// Equal for the format: a block text's final line break is not part of it
// (the form's text fields drop it), and a scalar the form turned into a
// string (1984 into "1984") is the same value.
const same = (before, after) => {
  if (isComposite(before) || isComposite(after)) {
    if (Array.isArray(before) !== Array.isArray(after) || !isComposite(before) || !isComposite(after)) return false;
    const keys = Object.keys(before);
    return keys.length === Object.keys(after).length
      && keys.every((key) => key in after && same(before[key], after[key]));
  }
  if (typeof before === 'string' && typeof after === 'string') return before.replace(/\n+$/, '') === after.replace(/\n+$/, '');
  return before === after || (before !== undefined && after !== undefined && String(before) === String(after));
};

// A node for a new value, keeping the comments and spacing of the one it replaces.
const replacement = (doc, node, value) => {
  const created = doc.createNode(value);
  for (const key of ['commentBefore', 'comment', 'spaceBefore']) if (node?.[key] !== undefined) created[key] = node[key];
  return created;
};

// How alike two list items are: the number of a record's fields with the same value
// (a record's item is the same claim when most of its fields are), or 1 for the same value.
const likeness = (before, after) => {
  if (same(before, after)) return Number.MAX_SAFE_INTEGER;
  if (!isRecord(before) || !isRecord(after)) return 0;
  return Object.keys(after).filter((key) => key in before && same(before[key], after[key])).length;
};

// For each item of `after`, [index of the item of `before` it is, or -1, its value]:
// the pairing in order that is the most alike (a weighted longest common subsequence).
const alignment = (before, after) => {
  const best = Array.from({ length: before.length + 1 }, () => new Array(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i -= 1) {
    for (let j = after.length - 1; j >= 0; j -= 1) {
      const alike = likeness(before[i], after[j]);
      best[i][j] = Math.max(best[i + 1][j], best[i][j + 1], alike ? alike + best[i + 1][j + 1] : 0);
    }
  }
  const pairs = [];
  let i = 0;
  for (let j = 0; j < after.length;) {
    const alike = i < before.length ? likeness(before[i], after[j]) : 0;
    if (alike && best[i][j] === alike + best[i + 1][j + 1]) {
      pairs.push([i, after[j]]);
      i += 1;
      j += 1;
    } else if (i < before.length && best[i][j] === best[i + 1][j]) i += 1;
    else {
      pairs.push([-1, after[j]]);
      j += 1;
    }
  }
  return pairs;
};

// Writes `after` into `node` (which holds `before`), touching only what differs; returns the node to keep.
const update = (doc, node, before, after) => {
  if (same(before, after)) return node;
  if (isMap(node) && isRecord(before) && isRecord(after)) {
    // A mapping the form hands back absent stays: the form has no field holding one (outside a
    // list) that it could have cleared; it is an inline source of a quote or an event, which the
    // form cannot show and so drops.
    for (const key of Object.keys(before)) if (!(key in after) && !isRecord(before[key])) node.delete(key);
    for (const [key, value] of Object.entries(after)) {
      // The form gives an absent yes/no field (draft) the value false, the format's default: not written.
      if (!(key in before)) {
        if (value !== false) node.set(key, doc.createNode(value));
      } else {
        const child = node.get(key, true);
        const kept = update(doc, child, before[key], value);
        if (kept !== child) node.set(key, kept);
      }
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(before) && Array.isArray(after)) {
    // Each item kept is updated in place; those removed go, those added come in their place.
    const [first] = node.items;
    node.items = alignment(before, after).map(([index, value]) => (index < 0
      ? doc.createNode(value) : update(doc, node.items[index], before[index], value)));
    // A blank line before the list's first item is the list's, not the item's.
    if (node.items.length && node.items[0] !== first) node.items[0].spaceBefore = first?.spaceBefore;
    return node;
  }
  if (isScalar(node) && !isComposite(after)) {
    // The same scalar node, so its quoting and comments stay; a block text keeps its final line break.
    node.value = typeof after === 'string' && typeof before === 'string' && before.endsWith('\n') && !after.endsWith('\n')
      ? `${after}\n` : after;
    return node;
  }
  return replacement(doc, node, after);
};

const lines = (text) => text.split('\n');

// The layout in which the file reads back as itself, else one that keeps its lines where they are.
const layoutOf = (text) => {
  const written = LAYOUTS.map((layout) => [layout, parseDocument(text).toString(layout)]);
  return (written.find(([, again]) => again === text)
    ?? written.find(([, again]) => lines(again).length === lines(text).length) ?? written[0])[0];
};

// For each line of `after`, the index of the line of `before` it is kept from, or -1
// (a longest common subsequence of lines).
const keptFrom = (before, after) => {
  const longest = Array.from({ length: before.length + 1 }, () => new Uint32Array(after.length + 1));
  for (let i = before.length - 1; i >= 0; i -= 1) {
    for (let j = after.length - 1; j >= 0; j -= 1) {
      longest[i][j] = before[i] === after[j] ? longest[i + 1][j + 1] + 1 : Math.max(longest[i + 1][j], longest[i][j + 1]);
    }
  }
  const kept = new Array(after.length).fill(-1);
  for (let i = 0, j = 0; i < before.length && j < after.length;) {
    if (before[i] === after[j]) {
      kept[j] = i;
      i += 1;
      j += 1;
    } else if (longest[i + 1][j] >= longest[i][j + 1]) i += 1;
    else j += 1;
  }
  return kept;
};

// `after`, the library's writing of the edited document, with each line that is the
// same in its writing of the file as it was (`rewritten`) taken from the file (`original`).
const withOriginalLines = (original, rewritten, after) => {
  const originalLines = lines(original);
  const rewrittenLines = lines(rewritten);
  if (originalLines.length !== rewrittenLines.length) return after;  // no line-for-line match to lean on
  const afterLines = lines(after);
  return keptFrom(rewrittenLines, afterLines).map((index, j) => (index < 0 ? afterLines[j] : originalLines[index])).join('\n');
};

export const fromFile = (text) => {
  const doc = parseDocument(text);
  if (doc.errors.length) throw doc.errors[0];
  const values = doc.toJS();
  return isRecord(values) ? { ...values, [ORIGINAL]: text } : values;
};

export const toFile = (content) => {
  const { [ORIGINAL]: original, ...values } = content;
  if (typeof original !== 'string') return stringify(values, NEW_FILE);
  const doc = parseDocument(original);
  const before = doc.toJS();
  if (same(before, values)) return original;  // nothing changed: the file as it was
  const text = `${original.trim()}\n`;  // the CMS trims the text it reads and what a format returns
  const layout = layoutOf(text);
  const rewritten = doc.toString(layout);
  doc.contents = update(doc, doc.contents, before, values);
  return withOriginalLines(text, rewritten, doc.toString(layout));
};
