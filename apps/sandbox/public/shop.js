// The demo shop's page: pay through the sandbox's merchant API, show the bank's
// challenge window, and follow the purchase's timeline as Server-Sent Events.
const PARTIES = {
  shop: 'Shop',
  merchant: 'Merchant API',
  '3ds-server': '3DS Server',
  acs: 'Bank’s ACS',
  'enfuce-id': 'Enfuce ID',
  authenticator: 'Authenticator',
  device: 'Phone',
};

const OUTCOMES = {
  authenticated: ['ok', 'Payment authenticated', 'The cardholder approved on their phone. The shop can now authorise the payment with these values.'],
  authenticationFailed: ['fail', 'Authentication failed', 'The cardholder declined on their phone. The shop must not take the payment.'],
  unavailable: ['warn', 'Authentication unavailable', 'No answer came in time, or the cardholder could not be asked. The shop decides whether to proceed without 3-D Secure.'],
};

const state = { catalog: null, orderId: null, events: null, firstEventAt: null };
const $ = (id) => document.getElementById(id);

function formatMoney(minor, currency) {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(minor / 100);
}

function option(name, value, checked, lines) {
  const label = document.createElement('label');
  label.className = 'option';
  const input = document.createElement('input');
  Object.assign(input, { type: 'radio', name, value, checked });
  label.appendChild(input);
  for (const [className, text] of lines) {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    label.appendChild(span);
  }
  return label;
}

function selected(name) {
  return document.querySelector(`input[name="${name}"]:checked`)?.value;
}

function updatePayButton() {
  const item = state.catalog.items.find((candidate) => candidate.id === selected('item'));
  $('pay').textContent = item ? `Pay ${formatMoney(item.amount, item.currency)}` : 'Pay';
}

async function loadCatalog() {
  const response = await fetch('/shop/api/catalog');
  state.catalog = await response.json();
  state.catalog.items.forEach((item, index) =>
    $('items').appendChild(option('item', item.id, index === 0, [['name', item.name], ['sub', item.description], ['price', formatMoney(item.amount, item.currency)]])),
  );
  state.catalog.cards.forEach((card, index) =>
    $('cards').appendChild(option('card', card.number, index === 0, [['name', card.label], ['number', card.number.replace(/(\d{4})(?=\d)/g, '$1 ')]])),
  );
  $('cardholder-app-link').href = state.catalog.links.cardholderApp;
  $('dashboard-link').href = state.catalog.links.dashboard;
  $('items').addEventListener('change', updatePayButton);
  updatePayButton();
  $('pay').disabled = false;
}

function followTimeline(orderId) {
  state.events?.close();
  state.firstEventAt = null;
  $('events').replaceChildren();
  $('timeline-empty').hidden = true;
  state.events = new EventSource(`/shop/api/orders/${encodeURIComponent(orderId)}/events`);
  state.events.onmessage = (message) => addEvent(JSON.parse(message.data));
}

function addEvent(event) {
  const at = Date.parse(event.at);
  state.firstEventAt ??= at;
  const item = document.createElement('li');
  item.className = event.tone;
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = `+${((at - state.firstEventAt) / 1000).toFixed(2)} s`;
  const party = document.createElement('span');
  party.className = 'party';
  party.dataset.party = event.party;
  party.textContent = PARTIES[event.party] ?? event.party;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = event.text;
  item.append(time, party, text);
  $('events').appendChild(item);
}

function showOutcome(tone, title, text, details = []) {
  const box = $('outcome');
  box.className = `outcome ${tone}`;
  box.replaceChildren();
  const strong = document.createElement('strong');
  strong.textContent = title;
  const paragraph = document.createElement('span');
  paragraph.textContent = text;
  box.append(strong, paragraph);
  if (details.length > 0) {
    const list = document.createElement('dl');
    for (const [term, value] of details) {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      list.append(dt, dd);
    }
    box.appendChild(list);
  }
  const again = document.createElement('button');
  again.type = 'button';
  again.textContent = 'Buy something else';
  again.addEventListener('click', reset);
  box.appendChild(again);
  box.hidden = false;
}

function showResult(result) {
  $('challenge').hidden = true;
  const [tone, title, text] = OUTCOMES[result.outcome] ?? ['warn', result.outcome, ''];
  const auth = result.authentication ?? {};
  const details = [
    ['outcome', result.outcome],
    ['eci', auth.eci],
    ['authenticationValue', auth.authenticationValue],
    ['3DS version', auth.version],
    ['order', result.orderId],
  ].filter(([, value]) => value);
  showOutcome(tone, title, text, details);
}

function reset() {
  $('outcome').hidden = true;
  $('challenge').hidden = true;
  $('pay').disabled = false;
  state.orderId = null;
}

function openChallenge(challenge) {
  $('challenge').hidden = false;
  // EMV 3DS browser flow: the challenge window is opened by posting the CReq to the ACS.
  const form = document.createElement('form');
  Object.assign(form, { method: 'POST', action: challenge.url, target: 'challenge-window' });
  const field = document.createElement('input');
  Object.assign(field, { type: 'hidden', name: 'creq', value: challenge.creq });
  form.appendChild(field);
  document.body.appendChild(form);
  form.submit();
  form.remove();
}

async function pay(submitEvent) {
  submitEvent.preventDefault();
  $('pay').disabled = true;
  $('outcome').hidden = true;
  const response = await fetch('/shop/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ itemId: selected('item'), cardNumber: selected('card') }),
  });
  const body = await response.json();
  if (!response.ok) {
    showOutcome('fail', 'The payment could not start', body.message ?? `The shop answered ${response.status}`);
    return;
  }
  state.orderId = body.orderId;
  followTimeline(body.orderId);
  if (body.outcome === 'challenged') openChallenge(body.challenge);
  else showResult(body);
}

// The ACS's window ends by posting the CRes to the shop's return page, which tells this page.
window.addEventListener('message', async (message) => {
  if (message.origin !== location.origin || message.data?.type !== 'sandbox-challenge-complete' || !state.orderId) return;
  const response = await fetch(`/shop/api/orders/${encodeURIComponent(state.orderId)}/verification`, { method: 'POST' });
  const body = await response.json();
  if (response.ok) showResult(body);
  else showOutcome('fail', 'The payment could not be verified', body.message ?? `The shop answered ${response.status}`);
});

document.addEventListener('DOMContentLoaded', () => {
  $('checkout-form').addEventListener('submit', pay);
  loadCatalog().catch(() => showOutcome('fail', 'The shop could not load', 'Is the sandbox running?'));
});
