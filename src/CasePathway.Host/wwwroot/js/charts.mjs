// Draws each chart from the numbers in the table beside it (the table stays the source of truth).
// Chart.js is loaded before this module as a classic script (window.Chart).
const palette = ['#1d70b8', '#f47738', '#00703c', '#4c2c92', '#d4351c', '#505a5f'];

function read(table) {
  const headers = [...table.tHead.rows[0].cells].slice(1);
  const rows = [...table.tBodies[0].rows];
  return {
    labels: rows.map((row) => row.cells[0].textContent.trim()),
    series: headers.map((th, i) => ({
      name: th.textContent.trim(),
      isTarget: th.dataset.seriesTarget === 'true',
      values: rows.map((row) => {
        const text = row.cells[i + 1].dataset.value;
        return text === '' || text === undefined ? null : Number(text);
      }),
    })),
  };
}

for (const section of document.querySelectorAll('[data-chart]')) {
  const canvas = section.querySelector('canvas');
  const table = section.querySelector('[data-chart-table]');
  if (!canvas || !table || !window.Chart) continue;
  const { labels, series } = read(table);
  const kind = section.dataset.chart === 'line' ? 'line' : 'bar';
  new window.Chart(canvas, {
    type: kind,
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.name,
        data: s.values,
        type: s.isTarget ? 'line' : kind,
        borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length],
        borderDash: s.isTarget ? [6, 4] : [],
        pointRadius: s.isTarget ? 0 : 3,
        spanGaps: false,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: true,
      plugins: { legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true } },
    },
  });
  section.dataset.chartRendered = 'true';
}
