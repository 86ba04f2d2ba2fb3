// Draws each chart from the numbers in the table beside it (the table stays the source of truth), one axis
// per measure: shares on a 0–100% axis with their target as a dashed line, counts as bars on their own axis.
// Chart.js is loaded before this module as a classic script (window.Chart).
const palette = ['#1d70b8', '#00703c', '#4c2c92', '#d4351c', '#505a5f', '#f47738'];
const countColour = '#b1b4b6';
const within = '#1d70b8';
const beyond = '#f47738';

function read(table) {
  const headers = [...table.tHead.rows[0].cells].filter((th) => th.hasAttribute('data-series'));
  const rows = [...table.tBodies[0].rows];
  return {
    labels: rows.map((row) => row.cells[0].textContent.trim()),
    within: rows.map((row) => row.dataset.within),
    series: headers.map((th, i) => ({
      name: th.textContent.trim(),
      measure: th.dataset.measure,
      isTarget: th.dataset.seriesTarget === 'true',
      values: rows.map((row) => {
        const text = row.cells[i + 1].dataset.value;
        return text === '' || text === undefined ? null : Number(text);
      }),
    })),
  };
}

const percentAxis = (position) => ({
  type: 'linear', position, min: 0, max: 100,
  title: { display: true, text: 'Per cent' },
  ticks: { callback: (v) => `${v}%` },
});
const countAxis = (position, grid) => ({
  type: 'linear', position, beginAtZero: true,
  title: { display: true, text: 'Number' },
  ticks: { precision: 0 },
  grid: { drawOnChartArea: grid },
});

// A dashed line between the last band within the timescale and the first beyond it.
const timescaleLine = {
  id: 'timescaleLine',
  afterDatasetsDraw(chart, _args, options) {
    if (options.after === undefined || options.after < 0) return;
    const x = chart.scales.x;
    const at = options.after + 1 < chart.data.labels.length
      ? (x.getPixelForValue(options.after) + x.getPixelForValue(options.after + 1)) / 2
      : x.right;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = '#0b0c0c';
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(at, chartArea.top);
    ctx.lineTo(at, chartArea.bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#0b0c0c';
    ctx.textAlign = 'right';
    ctx.fillText('timescale', at - 4, chartArea.top + 12);
    ctx.restore();
  },
};

function config(kind, data) {
  const narrow = window.matchMedia('(max-width: 40.0525em)').matches;
  const base = {
    animation: false,
    responsive: true,
    maintainAspectRatio: true,
    aspectRatio: narrow ? 1.1 : 2,
    plugins: { legend: { position: 'bottom' } },
  };
  const { labels, series } = data;
  if (kind === 'trend') {
    return {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s, i) => (s.measure === 'percent'
          ? {
            type: 'line', label: s.name, data: s.values, yAxisID: 'percent', order: 0,
            borderColor: s.isTarget ? '#0b0c0c' : palette[i % palette.length],
            backgroundColor: s.isTarget ? '#0b0c0c' : palette[i % palette.length],
            borderDash: s.isTarget ? [6, 4] : [], pointRadius: s.isTarget ? 0 : 3, spanGaps: false,
          }
          : { type: 'bar', label: s.name, data: s.values, yAxisID: 'count', order: 1, backgroundColor: countColour })),
      },
      options: { ...base, scales: { percent: percentAxis('left'), count: countAxis('right', false) } },
    };
  }
  if (kind === 'histogram') {
    const after = data.within.lastIndexOf('true');
    return {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({
          label: s.name, data: s.values,
          backgroundColor: data.within.map((w) => (w === 'true' ? within : beyond)),
        })),
      },
      options: {
        ...base,
        plugins: { ...base.plugins, legend: { display: false }, timescaleLine: { after } },
        scales: { x: { title: { display: true, text: 'Working days' } }, y: countAxis('left', true) },
      },
      plugins: [timescaleLine],
    };
  }
  const percent = series.every((s) => s.measure === 'percent');
  const valueAxis = percent ? percentAxis('left') : countAxis('left', true);
  const funnel = kind === 'funnel';
  return {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.name, data: s.values, backgroundColor: palette[i % palette.length] })),
    },
    options: {
      ...base,
      indexAxis: funnel ? 'y' : 'x',
      plugins: { ...base.plugins, legend: { display: series.length > 1, position: 'bottom' } },
      scales: funnel ? { x: { ...valueAxis, position: 'bottom' } } : { y: valueAxis },
    },
  };
}

const charts = [];
for (const section of document.querySelectorAll('[data-chart]')) {
  const canvas = section.querySelector('canvas');
  const table = section.querySelector('[data-chart-table]');
  if (!canvas || !table || !window.Chart) continue;
  charts.push(new window.Chart(canvas, config(section.dataset.chart, read(table))));
  section.dataset.chartRendered = 'true';
}

// printed, each chart is redrawn to the paper's width, then back to the screen's
window.addEventListener('beforeprint', () => charts.forEach((c) => c.resize()));
window.addEventListener('afterprint', () => charts.forEach((c) => c.resize()));
