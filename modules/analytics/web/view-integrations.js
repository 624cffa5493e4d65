// Integrations: webhook endpoints (the signing secret shown once), their delivery log with
// retry, and API keys (the key shown once).
import { all, api, qs } from './api.js';
import { announce, card, confirmButton, field, form, h, replace, statusBadge, table, td, when } from './ui.js';

const SCOPES = ['catalog:read', 'catalog:write', 'orders:read', 'orders:write', 'customers:read', 'analytics:read', 'webhooks:write', 'settings:write'];

// A secret the server shows this once: kept on screen until the person moves on.
function shownOnce(id, title, secret, note) {
  const code = h('code', { class: 'secret', id }, secret);
  const copied = h('span', { role: 'status' });
  const copy = h('button', { type: 'button', onclick: async () => {
    try { await navigator.clipboard.writeText(secret); copied.textContent = 'Copied.'; } catch { copied.textContent = 'Select the text and copy it.'; }
  } }, 'Copy');
  return h('div', { class: 'notice', role: 'alert', 'aria-label': title }, h('strong', null, title), code, h('p', null, note), h('div', { class: 'actions' }, copy, copied));
}

// --- webhooks -------------------------------------------------------------------------------

export async function webhooks(view, created) {
  const items = await all('/webhook-endpoints');
  const again = (c) => webhooks(view, c);
  const rows = items.map((w) => {
    const wp = `/webhook-endpoints/${encodeURIComponent(w.id)}`;
    return h('tr', { 'data-endpoint-id': w.id },
      h('td', { class: 'wrap mono' }, h('a', { href: `#/webhooks/${encodeURIComponent(w.id)}` }, w.url)),
      td(w.events.join(', '), 'wrap'), td(w.description || '—', 'wrap'), h('td', null, statusBadge(w.enabled ? 'active' : 'disabled')),
      h('td', null, h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: async (e) => {
          e.target.disabled = true;
          try { await api('PATCH', wp, { body: { enabled: !w.enabled } }); announce(w.enabled ? 'Disabled' : 'Enabled'); await again(); } catch (err) { e.target.disabled = false; announce(err.detail); }
        } }, w.enabled ? 'Disable' : 'Enable'),
        h('a', { href: `#/webhooks/${encodeURIComponent(w.id)}` }, 'Deliveries'),
        confirmButton('Delete', 'Delete this endpoint? Nothing more is sent to it.', async () => {
          await api('DELETE', wp);
          announce('Endpoint deleted');
          await again();
        }))));
  });
  const f = form({ class: 'stack', id: 'webhook-form' }, [
    field('URL', 'url', { id: 'webhook-url', type: 'url', placeholder: 'https://example.com/hooks/shop' }),
    field('Events', 'events', { id: 'webhook-events', value: '*' }, { hint: '* for all, or types comma-separated: order.paid, order.cancelled' }),
    field('Description', 'description', {}, { hint: 'Optional' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-webhook' }, 'Add endpoint')),
  ], async (v) => {
    const body = { url: v.url, events: v.events.split(',').map((s) => s.trim()).filter(Boolean) };
    if (v.description) body.description = v.description;
    const w = await api('POST', '/webhook-endpoints', { body });
    announce('Endpoint added');
    await again(w);
  }, { codeFields: { url_not_allowed: 'url' } });
  replace(view, h('h1', { class: 'page' }, 'Webhooks'),
    created ? shownOnce('webhook-secret', `Signing secret for ${created.url}`, created.secret,
      'Shown this once: the shop keeps it to sign each delivery (Shop-Signature) and will not show it again.') : null,
    card('New endpoint', f),
    card('Endpoints', table('Webhook endpoints', ['URL', 'Events', 'Description', 'State', ''], rows, 'No endpoints yet.', { id: 'webhooks-table' })));
}

export async function deliveries(view, id) {
  const wp = `/webhook-endpoints/${encodeURIComponent(id)}`;
  const [w, page] = await Promise.all([api('GET', wp), api('GET', `${wp}/deliveries${qs({ limit: 100 })}`)]);
  const again = () => deliveries(view, id);
  const rows = page.items.map((d) => h('tr', { 'data-delivery-id': d.id },
    td(when(d.created_at)), td(d.type || '—'), td(d.event_id || '—', 'id'), h('td', null, statusBadge(d.status)), td(String(d.attempts), 'num'),
    td(d.last_status_code == null ? '—' : String(d.last_status_code), 'num'), td(d.last_error || '—', 'wrap'),
    td(d.status === 'delivered' ? `delivered ${when(d.delivered_at)}` : d.next_attempt_at ? `next ${when(d.next_attempt_at)}` : '—', 'wrap'),
    h('td', null, h('button', { type: 'button', onclick: async (e) => {
      e.target.disabled = true;
      try { await api('POST', `${wp}/deliveries/${encodeURIComponent(d.id)}/retry`); announce('Sent again'); await again(); } catch (err) { e.target.disabled = false; announce(err.detail); }
    } }, 'Retry now'))));
  replace(view,
    h('div', { class: 'toolbar' }, h('h1', { class: 'page' }, 'Deliveries'), h('a', { href: '#/webhooks' }, 'All endpoints')),
    h('dl', { class: 'facts card' }, h('dt', null, 'Endpoint'), h('dd', { class: 'mono' }, w.url), h('dt', null, 'Events'), h('dd', null, w.events.join(', ')),
      h('dt', null, 'State'), h('dd', null, statusBadge(w.enabled ? 'active' : 'disabled'))),
    card('Delivery log, newest first', table('Deliveries', ['Created', 'Event', 'Event id', 'Status', ['Attempts', 'num'], ['Last answer', 'num'], 'Last error', 'When', ''],
      rows, 'Nothing sent yet.', { id: 'deliveries-table' })));
}

// --- API keys -------------------------------------------------------------------------------

export async function apiKeys(view, created) {
  const items = await all('/api-keys');
  const again = (c) => apiKeys(view, c);
  const rows = items.map((k) => h('tr', { 'data-key-id': k.id }, td(k.name), td(k.scopes.join(', '), 'wrap'), td(when(k.created_at)),
    td(k.last_used_at ? when(k.last_used_at) : 'never'),
    h('td', null, confirmButton('Revoke', `Revoke ${k.name}? Its next request is refused.`, async () => {
      await api('DELETE', `/api-keys/${encodeURIComponent(k.id)}`);
      announce('Key revoked');
      await again();
    }))));
  const f = form({ class: 'stack', id: 'api-key-form' }, [
    field('Name', 'name', { id: 'api-key-name', placeholder: 'Warehouse sync' }),
    h('fieldset', { class: 'wide scopes' }, h('legend', null, 'Scopes'),
      h('div', { class: 'stack' }, SCOPES.map((s) => field(s, `scope.${s}`, { type: 'checkbox', id: `scope-${s.replace(':', '-')}` }))),
      h('p', { class: 'field-error', 'data-error-for': 'scopes' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-api-key' }, 'Create key')),
  ], async (v) => {
    const scopes = SCOPES.filter((s) => v[`scope.${s}`]);
    const k = await api('POST', '/api-keys', { body: { name: v.name, scopes } });
    announce('Key created');
    await again(k);
  });
  replace(view, h('h1', { class: 'page' }, 'API keys'),
    created ? shownOnce('api-key-secret', `Key ${created.name}`, created.key,
      'Shown this once: the shop keeps only its hash. Send it as Authorization: Bearer <key>.') : null,
    card('New API key', f),
    card('Keys', table('API keys', ['Name', 'Scopes', 'Created', 'Last used', ''], rows, 'No API keys yet.', { id: 'api-keys-table' })));
}
