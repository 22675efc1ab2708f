// Keeps monitor pages current without full reloads: every few seconds, fetch the same page
// and swap in its <main>, unless the user is typing in a form or has a <details> open.
(function () {
  const main = document.getElementById('content');
  if (!main || !main.dataset.refresh) {
    return;
  }
  const interval = Number(main.dataset.refresh);
  async function refresh() {
    const busy = main.contains(document.activeElement) && document.activeElement.matches('input, select, textarea')
      || main.querySelector('details[open]');
    if (document.visibilityState === 'visible' && !busy) {
      try {
        const response = await fetch(location.href, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' });
        if (response.ok && response.url === location.href) {
          const page = new DOMParser().parseFromString(await response.text(), 'text/html');
          const fresh = page.getElementById('content');
          if (fresh) {
            main.innerHTML = fresh.innerHTML;
            main.dataset.refreshedAt = new Date().toISOString();
          }
        }
      } catch (e) {
        // offline for a moment: try again at the next tick
      }
    }
    setTimeout(refresh, interval);
  }
  setTimeout(refresh, interval);
})();
