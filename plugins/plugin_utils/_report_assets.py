# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate report page's inline style and script (constants: the page's CSP names their hashes).

Neither holds report data. The script reads sort keys from the table's ``data-sort`` attributes; the
style lays the table out as cards on a phone and prints it black on white with every column kept.
"""

from __future__ import annotations

PAGE_CSS = r"""
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --head: #f3f5f7;
  --ok: #1a7f37; --ok-bg: #e8f5ec; --stale: #8a4b00; --stale-bg: #fff1d6; --bad: #b3261e; --bad-bg: #fde7e5;
  --unknown: #4b5563; --unknown-bg: #eef0f3; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; padding: 1rem 1.25rem 2rem; color: var(--ink); background: var(--paper);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.meta, .hint, footer { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.banner { margin: 1rem 0; padding: .75rem 1rem; border-radius: .4rem; border: 1px solid; border-left-width: .5rem; }
.banner-ok { color: var(--ok); background: var(--ok-bg); }
.banner-fail { color: var(--bad); background: var(--bad-bg); }
.banner-warn, .banner-empty { color: var(--stale); background: var(--stale-bg); }
.banner strong { letter-spacing: .04em; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); font-size: .9rem; padding: 0 0 .35rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .4rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--head); font-weight: 600; }
table.summary thead th { white-space: nowrap; }
table.summary { width: auto; min-width: 24rem; }
table.summary td { text-align: right; font-variant-numeric: tabular-nums; }
table.summary tfoot th, table.summary tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
td.hit-stale { color: var(--stale); font-weight: 700; }
td.hit-missing, td.hit-failing { color: var(--bad); font-weight: 700; }
td.hit-unknown { color: var(--unknown); font-weight: 700; }
table.environments { font-size: .85rem; }
/* Words wrap whole where they can; a long backup name or reason may break anywhere (it would widen the table). */
table.environments td { overflow-wrap: break-word; }
.backup, .reason { overflow-wrap: anywhere; }
.age, .nowrap { white-space: nowrap; }
.line { display: block; }
table.environments td[data-label="Reason"] { min-width: 12rem; }
table.environments td[data-label="Newest backup"] { min-width: 10rem; }
table.environments td:first-child { border-left: .35rem solid transparent; }
tr.ok td:first-child { border-left-color: var(--ok); }
tr.alert { background: var(--bad-bg); }
tr.alert td:first-child { border-left-color: var(--bad); }
tr.verdict-stale { background: var(--stale-bg); }
tr.verdict-stale td:first-child { border-left-color: var(--stale); }
tr.unknown { background: repeating-linear-gradient(135deg, var(--unknown-bg) 0 .6rem, #f8f9fa .6rem 1.2rem); }
tr.unknown td:first-child { border-left: .35rem dashed var(--unknown); }
button.sort { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: .1rem .2rem;
  margin: -.1rem -.2rem; cursor: pointer; border-radius: .25rem; text-align: left; white-space: normal; }
button.sort::after { content: "\2195"; color: var(--muted); margin-left: .2rem; font-weight: 400; }
th[aria-sort="ascending"] button.sort::after { content: "\25B2"; color: var(--ink); }
th[aria-sort="descending"] button.sort::after { content: "\25BC"; color: var(--ink); }
button.sort:hover { text-decoration: underline; }
button.sort:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.badge { display: inline-block; padding: .1rem .4rem; border-radius: 1rem; font-size: .85em; font-weight: 700;
  letter-spacing: .03em; white-space: nowrap; border: 1px solid; }
.badge-ok { color: var(--ok); background: var(--ok-bg); }
.badge-stale { color: var(--stale); background: #ffe2a8; }
.badge-missing, .badge-failing { color: #fff; background: var(--bad); border-color: var(--bad); }
.badge-unknown { color: var(--unknown); background: #fff; border-style: dashed; }
.sub { display: block; color: var(--muted); font-size: .92em; }
.none { color: var(--muted); }
.backup { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .95em; }
.age.over-rpo { color: var(--bad); font-weight: 700; }
.drill-passed { color: var(--ok); font-weight: 600; }
.drill-failed { color: var(--bad); font-weight: 600; }

@media (max-width: 760px) {
  body { padding: .75rem; font-size: 14px; }
  table.summary { min-width: 0; }
  table.environments, table.environments thead, table.environments tbody, table.environments tr,
  table.environments td { display: block; width: auto; }
  table.environments thead tr { display: flex; flex-wrap: wrap; gap: .35rem; }
  table.environments thead th { padding: .2rem .45rem; border: 1px solid var(--line); border-radius: 1rem; }
  table.environments tbody tr { margin: .75rem 0; border: 1px solid var(--line); border-radius: .45rem; }
  table.environments td { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: .5rem; padding: .35rem .6rem;
    border-bottom: 0; border-top: 1px solid var(--line); }
  table.environments td:first-child { border-top: 0; border-radius: .45rem .45rem 0 0; }
  table.environments td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
  table.environments td, table.environments td[data-label] { min-width: 0; overflow-wrap: anywhere; }
  table.summary { font-size: .8rem; }
  table.summary th, table.summary td { padding: .3rem .3rem; }
}

@media print {
  @page { size: A4 landscape; margin: 10mm; }
  * { color: #000 !important; background: transparent !important; box-shadow: none !important; }
  body { padding: 0; font-size: 9pt; }
  h1 { font-size: 14pt; } h2 { font-size: 11pt; margin: 8pt 0 4pt; }
  .meta, footer, caption { font-size: 8pt; }
  .hint { display: none; }
  .scroll { overflow: visible; }
  table.environments { font-size: 8pt; table-layout: auto; }
  table.environments td, table.environments td[data-label] { min-width: 0; overflow-wrap: anywhere; }
  time { white-space: nowrap; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th, td { padding: 2pt 3pt; border-bottom: .5pt solid #000; }
  button.sort { cursor: auto; padding: 0; margin: 0; }
  button.sort::after { content: none !important; }
  table.environments td:first-child { border-left: 0; }
  tr.alert td:first-child { border-left: 4pt solid #000; }
  tr.unknown td:first-child { border-left: 2pt dashed #000; }
  .badge { border: 1pt solid #000; }
  .banner { border: 1pt solid #000; border-left-width: 4pt; }
}
"""

# Sorts the environments table by the column whose heading button is pressed (again: reversed). Keys come
# from each cell's data-sort; empty keys (no backup, never drilled) go last in both directions; ties keep
# the page's order (data-order). aria-sort on the heading and a live region tell assistive technology.
SORT_JS = r"""
(function () {
  'use strict';
  var table = document.getElementById('environments');
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var status = document.getElementById('sort-status');

  function key(row, column, numeric) {
    var raw = row.cells[column].getAttribute('data-sort');
    if (raw === null || raw === '') { return null; }
    if (!numeric) { return raw; }
    var value = parseFloat(raw);
    return isNaN(value) ? null : value;
  }

  function order(row) { return parseInt(row.getAttribute('data-order'), 10) || 0; }

  function sortBy(column, direction) {
    var numeric = headers[column].getAttribute('data-type') === 'number';
    var sign = direction === 'ascending' ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, column, numeric);
      var y = key(b, column, numeric);
      var result;
      if (x === null || y === null) {
        result = (x === null) - (y === null);
      } else if (numeric) {
        result = sign * (x - y);
      } else {
        result = sign * x.localeCompare(y, undefined, {numeric: true, sensitivity: 'base'});
      }
      return result || order(a) - order(b);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (th) { th.removeAttribute('aria-sort'); });
    headers[column].setAttribute('aria-sort', direction);
    if (status) {
      status.textContent = 'Sorted by ' + headers[column].textContent + ', ' + direction + '.';
    }
  }

  headers.forEach(function (th, column) {
    var button = th.querySelector('button');
    if (!button) { return; }
    button.addEventListener('click', function () {
      sortBy(column, th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending');
    });
  });
}());
"""
