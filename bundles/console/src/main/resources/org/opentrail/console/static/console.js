// OpenTrail web console: progressive enhancements only (copy, export progress, charts).
// Loaded with 'defer' from /console/static/; no inline script, no eval (the CSP forbids both).
(function () {
  'use strict';
  var main = document.querySelector('main');
  var csrf = main ? main.getAttribute('data-csrf') : null;

  // Copy buttons: <button data-copy="element-id">
  document.querySelectorAll('button[data-copy]').forEach(function (btn) {
    btn.addEventListener('click', function () {
      var el = document.getElementById(btn.getAttribute('data-copy'));
      if (!el) { return; }
      var text = el.textContent;
      var done = function () { btn.textContent = 'Copied'; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(el); });
      } else {
        select(el);
        try { document.execCommand('copy'); done(); } catch (e) { /* selected for the user */ }
      }
    });
  });

  function select(el) {
    var r = document.createRange();
    r.selectNodeContents(el);
    var s = window.getSelection();
    s.removeAllRanges();
    s.addRange(r);
  }

  // Custom range inputs only when "Custom" is chosen
  var range = document.getElementById('range');
  if (range) {
    var toggle = function () {
      ['start', 'end'].forEach(function (id) {
        var el = document.getElementById(id);
        if (el) { el.parentNode.hidden = range.value !== 'custom'; }
      });
    };
    range.addEventListener('change', toggle);
    toggle();
  }

  // Export: start it, poll its progress, then download the file
  var form = document.getElementById('export');
  if (form) {
    var status = document.getElementById('export-status');
    var bar = document.getElementById('export-progress');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var format = ev.submitter ? ev.submitter.value : 'csv';
      var body = new URLSearchParams();
      body.set('filters', form.elements.filters.value);
      body.set('format', format);
      status.textContent = 'Starting export...';
      bar.hidden = false;
      bar.value = 0;
      fetch('/console/api/export', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body
      }).then(function (r) { return r.json(); }).then(function (j) {
        if (!j.ExportId) { fail(j); return; }
        poll(j.ExportId);
      }, function () { status.textContent = 'The export could not be started.'; });
    });
    var fail = function (j) {
      status.textContent = (j.Code || 'Error') + ': ' + (j.Message || 'the export failed');
      status.className = 'error';
    };
    var poll = function (id) {
      fetch('/console/api/export/status?id=' + encodeURIComponent(id), { credentials: 'same-origin' })
        .then(function (r) { return r.json(); }).then(function (j) {
          if (j.Code) { fail(j); return; }
          bar.value = j.Percent;
          status.textContent = j.Events + ' of ' + j.Total + ' events (' + j.Percent + '%)';
          if (j.Done) {
            status.textContent = 'Exported ' + j.Events + ' events.';
            status.setAttribute('data-done', 'true');
            window.location.href = '/console/export/file?id=' + encodeURIComponent(id);
          } else {
            window.setTimeout(function () { poll(id); }, 300);
          }
        });
    };
  }

  // Charts: ECharts from the bundle's WebJar, loaded only on the charts page
  var charts = document.getElementById('charts');
  if (charts) {
    var s = document.createElement('script');
    s.src = '/console/static/echarts.min.js';
    s.onload = function () { draw(JSON.parse(charts.getAttribute('data-charts'))); };
    document.head.appendChild(s);
  }

  function draw(data) {
    var go = function (p) { if (p.data && p.data.href) { window.location.href = p.data.href; } };
    var t = window.echarts.init(document.getElementById('chart-time'));
    t.setOption({
      animation: false,
      title: { text: 'Events over time', textStyle: { fontSize: 14 } },
      tooltip: { renderMode: 'richText' }, grid: { left: 50, right: 20, bottom: 40 },
      xAxis: { type: 'category', data: data.Time.map(function (b) { return b.From.replace('T', ' ').replace('Z', ''); }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: data.Time.map(function (b) { return { value: b.Count, href: b.Href }; }) }]
    });
    t.on('click', go);
    var all = [t];
    data.Tops.forEach(function (top, i) {
      var c = window.echarts.init(document.getElementById('chart-top' + i));
      var rows = top.Rows.slice().reverse();
      c.setOption({
        animation: false,
        title: { text: top.Title, textStyle: { fontSize: 14 } },
        tooltip: { renderMode: 'richText' }, grid: { left: 8, right: 20, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map(function (r) { return r.Value; }) },
        series: [{ type: 'bar', data: rows.map(function (r) { return { value: r.Count, href: r.Href }; }) }]
      });
      c.on('click', go);
      all.push(c);
    });
    window.addEventListener('resize', function () { all.forEach(function (c) { c.resize(); }); });
    charts.setAttribute('data-drawn', 'true');
  }
})();
