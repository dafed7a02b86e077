/**
 * The browser side of the HTML reports, inlined as text: reads the chart specs (chart-spec.ts)
 * and makes one Chart.js chart per canvas, adding what JSON cannot carry — percentile tick labels
 * on the HDR axis, units in tooltips, and the chaos overlay (a tiny inline plugin that shades
 * active faults and draws a line at each start and stop). Plain ES2017, no imports.
 */
export const CLIENT_JS = String.raw`(function () {
  'use strict';
  var el = document.getElementById('stormlab-charts');
  var specs = el ? JSON.parse(el.textContent || '[]') : [];
  if (typeof Chart === 'undefined') {
    document.body.insertAdjacentHTML('afterbegin', '<p class="bad">Chart.js did not load: charts are missing.</p>');
    return;
  }
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  function round(v, digits) { var f = Math.pow(10, digits); return Math.round(v * f) / f; }
  function percentOf(x) { return round(100 - 100 / x, 4); }
  function isDecade(x) { var l = Math.log10(x); return Math.abs(l - Math.round(l)) < 1e-9; }
  function fmt(v, unit) {
    if (v === null || v === undefined || isNaN(v)) return '—';
    if (unit === 'USD') return '$' + (Math.abs(v) >= 1 ? v.toFixed(2) : Number(v.toPrecision(4)));
    if (unit === '%') return round(v, 2) + '%';
    var a = Math.abs(v);
    var text = a >= 100 ? String(Math.round(v)) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : String(Number(v.toPrecision(3)));
    return unit ? text + ' ' + unit : text;
  }

  function chaosPlugin(chaos) {
    return {
      id: 'stormlabChaos',
      afterDatasetsDraw: function (chart) {
        var x = chart.scales.x, a = chart.chartArea, ctx = chart.ctx;
        if (!x || !a) return;
        ctx.save();
        chaos.spans.forEach(function (s) {
          var x0 = Math.max(a.left, x.getPixelForValue(s.from));
          var x1 = Math.min(a.right, x.getPixelForValue(s.to));
          if (x1 - x0 < 2) x1 = x0 + 2;
          ctx.fillStyle = 'rgba(207, 34, 46, 0.10)';
          ctx.fillRect(x0, a.top, x1 - x0, a.bottom - a.top);
        });
        ctx.strokeStyle = 'rgba(207, 34, 46, 0.85)';
        ctx.fillStyle = '#cf222e';
        ctx.lineWidth = 1;
        ctx.setLineDash([4, 3]);
        ctx.font = '11px system-ui, sans-serif';
        chaos.marks.forEach(function (m, i) {
          var px = x.getPixelForValue(m.t);
          if (px < a.left - 1 || px > a.right + 1) return;
          ctx.beginPath();
          ctx.moveTo(px, a.top);
          ctx.lineTo(px, a.bottom);
          ctx.stroke();
          if (m.label) ctx.fillText(m.label, px + 3, a.top + 12 + (i % 3) * 12);
        });
        ctx.restore();
      }
    };
  }

  function tooltipLabel(spec) {
    return function (item) {
      var unit = item.dataset.yAxisID === 'y1' ? spec.unit1 : spec.unit;
      var v = item.parsed && typeof item.parsed === 'object' ? (spec.config.options.indexAxis === 'y' ? item.parsed.x : item.parsed.y) : item.parsed;
      return item.dataset.label + ': ' + fmt(v, unit);
    };
  }

  var charts = [];
  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    var cfg = spec.config;
    var o = cfg.options;
    o.plugins = o.plugins || {};
    o.plugins.tooltip = o.plugins.tooltip || {};
    o.plugins.tooltip.callbacks = { label: tooltipLabel(spec) };
    if (spec.kind === 'percentile') {
      o.scales.x.ticks = {
        autoSkip: false,
        callback: function (v) { return isDecade(v) || v === 2 ? percentOf(v) + '%' : null; }
      };
      o.plugins.tooltip.callbacks.title = function (items) { return items.length ? 'p' + percentOf(items[0].parsed.x) : ''; };
      o.interaction = { mode: 'nearest', intersect: false };
    }
    if (spec.kind === 'timeline') {
      o.interaction = { mode: 'index', intersect: false };
      o.plugins.tooltip.callbacks.title = function (items) { return items.length ? items[0].parsed.x + ' s' : ''; };
      if (spec.chaos) cfg.plugins = [chaosPlugin(spec.chaos)];
    }
    if (spec.kind === 'xy') {
      o.interaction = { mode: 'nearest', intersect: false };
      o.plugins.tooltip.callbacks.title = function (items) { return items.length ? fmt(items[0].parsed.x, spec.xUnit) : ''; };
      if (spec.chaos) cfg.plugins = [chaosPlugin(spec.chaos)];
    }
    if (spec.kind === 'doughnut') {
      o.plugins.tooltip.callbacks.label = function (item) { return item.label + ': ' + fmt(item.parsed, spec.unit); };
    }
    charts.push(new Chart(canvas, cfg));
  });
  window.stormlabCharts = charts;
})();
`;
