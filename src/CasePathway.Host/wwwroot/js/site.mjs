// Starts GOV.UK Frontend's and MoJ Frontend's components (data-module attributes), then the page's own behaviour.
import { initAll as initGovuk } from '/lib/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/lib/moj/moj-frontend.min.js';

initGovuk();
initMoj();

// Print buttons exist only where JavaScript can print.
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

// The breach list refreshes itself, unless the person turns it off (remembered) or is using the filter form.
const form = document.querySelector('form[data-auto-refresh]');
const toggle = document.getElementById('auto-refresh');
if (form && toggle) {
  const seconds = Number(form.dataset.autoRefresh);
  const key = 'casepathway.autoRefresh';
  toggle.closest('.cp-refresh').hidden = false;
  toggle.checked = localStorage.getItem(key) !== 'off';
  toggle.addEventListener('change', () => localStorage.setItem(key, toggle.checked ? 'on' : 'off'));
  setInterval(() => {
    if (toggle.checked && !form.contains(document.activeElement)) window.location.reload();
  }, seconds * 1000);
}
