// Categories: the tree as an indented list; create, rename, move and delete.
import { all, api } from './api.js';
import { announce, card, confirmButton, field, form, h, replace, table, td } from './ui.js';

// Parents before children, each with its depth.
function ordered(cats) {
  const children = new Map();
  for (const c of cats) {
    const k = c.parent_id || '';
    if (!children.has(k)) children.set(k, []);
    children.get(k).push(c);
  }
  const out = [];
  const seen = new Set();
  const walk = (parent, depth) => {
    for (const c of (children.get(parent) || []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push([c, depth]);
      walk(c.id, depth + 1);
    }
  };
  walk('', 0);
  for (const c of cats) if (!seen.has(c.id)) out.push([c, 0]);
  return out;
}

export async function render(view) {
  const cats = await all('/categories');
  const again = () => render(view);
  const tree = ordered(cats);
  const parentOptions = [['', '(top level)'], ...tree.map(([c, d]) => [c.id, `${'– '.repeat(d)}${c.name}`])];
  const rows = tree.map(([c, depth]) => {
    const edit = form({ class: 'inline', 'aria-label': `Edit ${c.name}` }, [
      h('div', { class: 'actions' },
        field('Name', 'name', { value: c.name, size: 16 }),
        field('Parent', 'parent_id', {}, { type: 'select', options: parentOptions.filter(([id]) => id !== c.id), value: c.parent_id || '' }),
        h('button', { type: 'submit' }, 'Save')),
    ], async (v) => {
      await api('PATCH', `/categories/${encodeURIComponent(c.id)}`, { body: { name: v.name, parent_id: v.parent_id || null } });
      announce('Category saved');
      await again();
    });
    return h('tr', { 'data-category-id': c.id },
      td(`${'\u00a0\u00a0'.repeat(depth * 2)}${c.name}`), td(c.id, 'id'), h('td', { class: 'wrap' }, edit),
      h('td', null, confirmButton('Delete', `Delete ${c.name}?`, async () => {
        await api('DELETE', `/categories/${encodeURIComponent(c.id)}`);
        announce('Category deleted');
        await again();
      })));
  });
  const create = form({ class: 'stack', id: 'category-form' }, [
    field('Name', 'name', { id: 'category-name' }),
    field('Parent', 'parent_id', {}, { type: 'select', options: parentOptions }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Add category')),
  ], async (v) => {
    const body = { name: v.name };
    if (v.parent_id) body.parent_id = v.parent_id;
    await api('POST', '/categories', { body });
    announce('Category added');
    await again();
  });
  replace(view, h('h1', { class: 'page' }, 'Categories'),
    card('New category', create),
    card('All categories', table('Categories', ['Name', 'Id', 'Rename or move', ''], rows, 'No categories yet.', { id: 'categories-table' })));
}
