import { escapeHtml, formatAmount, jsonForScript } from '../common/html';
import type { ChallengeStatus } from './acs';

/**
 * The ACS's challenge window (EMV 3DS browser flow, out-of-band UI): it tells the
 * shopper to approve in their banking app, follows the challenge, and once it is
 * final posts the CRes to the merchant's notificationURL, as an ACS must.
 */
export function challengePage(status: ChallengeStatus, cardholderAppUrl?: string): string {
  const amount = formatAmount(status.amount.amount, status.amount.currency);
  const appLink = cardholderAppUrl
    ? `<p class="hint">Open the <a href="${escapeHtml(cardholderAppUrl)}" target="_blank" rel="noopener">cardholder app</a> on your phone.</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox Bank · Confirm your purchase</title>
<style>
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2433; background: #fff; }
  header { background: #0b3d5c; color: #fff; padding: 10px 16px; font-weight: 600; letter-spacing: .02em; }
  main { padding: 16px; }
  h1 { font-size: 17px; margin: 0 0 12px; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 0 0 16px; }
  dt { color: #5b6578; } dd { margin: 0; font-weight: 600; }
  .state { display: flex; align-items: center; gap: 10px; padding: 12px; border-radius: 8px; background: #eef4fa; }
  .spinner { width: 18px; height: 18px; border: 3px solid #b9cde0; border-top-color: #0b3d5c; border-radius: 50%; animation: spin 1s linear infinite; flex: none; }
  .final .spinner { display: none; }
  .ok { background: #e6f5ec; } .fail { background: #fbeaea; }
  .hint { color: #5b6578; font-size: 13px; }
  @keyframes spin { to { transform: rotate(360deg); } }
</style>
</head>
<body>
<header>Sandbox Bank · Secure purchase</header>
<main>
  <h1>Confirm this purchase in your banking app</h1>
  <dl>
    <dt>Merchant</dt><dd>${escapeHtml(status.merchantName)}</dd>
    <dt>Amount</dt><dd>${escapeHtml(amount)}</dd>
    <dt>Card</dt><dd>${escapeHtml(status.cardNumber)}</dd>
  </dl>
  <div class="state" id="state" role="status" aria-live="polite"><span class="spinner"></span><span id="message">We sent a request to your phone. Waiting for your answer…</span></div>
  ${appLink}
  <p class="hint" id="countdown"></p>
</main>
<script type="application/json" id="challenge">${jsonForScript({ acsTransID: status.acsTransID, notificationURL: status.notificationURL })}</script>
<script>
(() => {
  const { acsTransID, notificationURL } = JSON.parse(document.getElementById('challenge').textContent);
  const messages = {
    Y: ['ok', 'Approved. Returning to the shop…'],
    N: ['fail', 'You declined this purchase. Returning to the shop…'],
    U: ['fail', 'The purchase could not be confirmed in time. Returning to the shop…'],
  };
  const show = (tone, text) => {
    const state = document.getElementById('state');
    state.className = 'state ' + tone;
    document.getElementById('message').textContent = text;
  };
  const postCRes = (cres) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = notificationURL;
    const field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'cres';
    field.value = cres;
    form.appendChild(field);
    document.body.appendChild(form);
    form.submit();
  };
  const poll = async () => {
    try {
      const response = await fetch('/acs/challenges/' + encodeURIComponent(acsTransID), { headers: { accept: 'application/json' } });
      const status = await response.json();
      if (status.deadlineAt) {
        const left = Math.max(0, Math.round((Date.parse(status.deadlineAt) - Date.now()) / 1000));
        document.getElementById('countdown').textContent = status.state === 'final' ? '' : 'Time left: ' + left + ' s';
      }
      if (status.state === 'final') {
        const [tone, text] = messages[status.transStatus] || messages.U;
        show(tone + ' final', text);
        setTimeout(() => postCRes(status.cres), 800);
        return;
      }
    } catch (error) {
      show('', 'Reconnecting…');
    }
    setTimeout(poll, 500);
  };
  poll();
})();
</script>
</body>
</html>`;
}
