// The editing form's own start (docs/cms.md): the briefs' YAML format
// (yaml-format.js), and a choice clicked before the CMS's radio group is
// ready counted once it is. The CMS draws a choice's radio group, then
// listens for its clicks 100 ms later; a click in between showed the choice
// as made while the form kept the old value, and a save wrote the old value.
import { FORMAT, fromFile, toFile } from './yaml-format.js';

// A group announces itself (Initializing) when drawn and is ready once it
// says so (Initialized); a click on one of its radios in between waits.
// Both events do not bubble: they are heard while capturing.
const drawnNotReady = new WeakSet();
const waiting = new WeakMap();
const keepEarlyChoices = () => {
  document.addEventListener('Initializing', ({ target }) => drawnNotReady.add(target), true);
  document.addEventListener('Initialized', ({ target }) => {
    drawnNotReady.delete(target);
    const choice = waiting.get(target);
    waiting.delete(target);
    if (choice?.isConnected) choice.click();
  }, true);
  document.addEventListener('click', (event) => {
    const choice = event.target instanceof Element ? event.target.closest('[role="radio"]') : null;
    const group = choice?.closest('[role="radiogroup"]');
    if (!group || !drawnNotReady.has(group)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    waiting.set(group, choice);
  }, true);
};

const loadCms = () => new Promise((resolve, reject) => {
  const script = document.createElement('script');
  script.src = 'sveltia-cms.js';
  script.addEventListener('load', resolve);
  script.addEventListener('error', reject);
  document.head.append(script);
});

window.CMS_MANUAL_INIT = true;
keepEarlyChoices();
await loadCms();
window.CMS.registerCustomFormat(FORMAT, 'yaml', { fromFile, toFile });
window.CMS.init();
