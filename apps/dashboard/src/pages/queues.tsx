export function QueuesPage() {
  return (
    <div class="page page-full">
      <header class="page-head">
        <div>
          <h1>Queues</h1>
          <p class="muted">The BullMQ queues behind every authentication: push, timeout and callback jobs. Read-only.</p>
        </div>
        <a class="button secondary" href="/admin/queues" target="_blank" rel="noreferrer">
          Open in a new tab
        </a>
      </header>
      <iframe class="queues-frame" title="Bull Board" src="/admin/queues" />
    </div>
  );
}
