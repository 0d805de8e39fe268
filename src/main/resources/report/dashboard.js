/*
 * phiguard serve: keeps the dashboard current. It follows the server's events (/events); each
 * event is the server's status. A newer answer than the one drawn is fetched from /api/map and
 * drawn by running the map's own script again on fresh markup, keeping the filters the user set.
 * A status with a problem shows the banner; the last good answer stays on screen.
 */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var shown = document.body.getAttribute('data-evaluated-at');
  var fetching = false;
  var latest = null;
  var appScript = $('pgmap-app');
  var appText = appScript ? appScript.textContent : null;

  function when(iso) {
    if (!iso) { return 'not yet'; }
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function value(id) { var e = $(id); return e ? e.value : ''; }

  function setValue(id, text, eventName) {
    var e = $(id);
    if (e && text) { e.value = text; e.dispatchEvent(new Event(eventName)); }
  }

  function redraw(json, evaluatedAt) {
    var old = $('pgmap');
    var template = $('pgdash-map-template');
    if (!old || !template || !appText) { window.location.reload(); return; }
    var saved = { search: value('pgmap-search'), workload: value('pgmap-workload'), port: value('pgmap-port'),
      phiOnly: $('pgmap-phi-only') && $('pgmap-phi-only').checked };
    if (window.phiguardMap && window.phiguardMap.cy) { window.phiguardMap.cy.destroy(); }
    window.phiguardMap = null;
    old.parentNode.replaceChild(document.importNode(template.content, true), old);
    $('pgmap-data').textContent = json;
    var previous = $('pgmap-app');
    var script = document.createElement('script');
    script.textContent = appText;
    previous.parentNode.replaceChild(script, previous);
    script.id = 'pgmap-app';
    setValue('pgmap-workload', saved.workload, 'change');
    setValue('pgmap-port', saved.port, 'input');
    setValue('pgmap-search', saved.search, 'input');
    if (saved.phiOnly && $('pgmap-phi-only')) { $('pgmap-phi-only').click(); }
    shown = evaluatedAt;
    document.body.setAttribute('data-evaluated-at', evaluatedAt);
  }

  function refresh() {
    if (fetching || !latest || !latest.evaluatedAt || latest.evaluatedAt === shown) { return; }
    if (!$('pgmap')) { window.location.reload(); return; }
    fetching = true;
    fetch('api/map', { cache: 'no-store' }).then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      var evaluatedAt = response.headers.get('X-Phiguard-Evaluated-At');
      return response.text().then(function (json) { redraw(json, evaluatedAt); });
    }).catch(function (err) {
      $('pgdash-live').textContent = 'could not fetch the new answer (' + err.message + '); retrying';
    }).then(function () {
      fetching = false;
      refresh();
    });
  }

  function show(status) {
    latest = status;
    var verdict = $('pgdash-verdict');
    if (status.ready) {
      verdict.textContent = (status.failed ? '\u2717 FAIL' : '\u2713 PASS') + ' \u2014 ' + status.verdict;
      verdict.className = 'pgdash-verdict ' + (status.failed ? 'pgdash-fail' : 'pgdash-pass');
    }
    var time = $('pgdash-evaluated');
    time.textContent = when(status.evaluatedAt);
    if (status.evaluatedAt) { time.setAttribute('datetime', status.evaluatedAt); }
    var banner = $('pgdash-banner');
    if (status.problem) {
      banner.textContent = 'Cannot read ' + status.source + ' (since ' + when(status.problem.at) + '): '
        + status.problem.message + (status.ready ? '\nShowing the last good answer, evaluated '
        + when(status.evaluatedAt) + '.' : '');
      banner.hidden = false;
    } else {
      banner.hidden = true;
      banner.textContent = '';
    }
    refresh();
  }

  var events = new EventSource('events');
  events.addEventListener('status', function (event) {
    $('pgdash-live').textContent = 'live: updates within a second of a change';
    show(JSON.parse(event.data));
  });
  events.onerror = function () {
    $('pgdash-live').textContent = 'live updates interrupted; reconnecting\u2026';
  };
}());
