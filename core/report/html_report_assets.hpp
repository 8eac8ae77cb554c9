// The HTML report's inline stylesheet and script. Both are fixed text: the
// report's Content-Security-Policy allows exactly these two by their hashes,
// so nothing injected into a report could run or load anything.
#pragma once

namespace smharden::core {

inline constexpr const char* html_report_style = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 1rem 2rem; color: #1d232a; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; margin-top: 2rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; word-break: break-all; }
.summary { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f5f7; }
.summary table { width: auto; }
td.num { text-align: right; }
code, .value { font-family: ui-monospace, Consolas, monospace; font-size: .9em; }
.value { display: inline-block; max-width: 26rem; max-height: 8rem; overflow: auto; white-space: pre-wrap;
         word-break: break-all; background: #f6f8fa; padding: 0 .25rem; }
.badge { display: inline-block; border-radius: .6rem; padding: 0 .5rem; font-size: .85rem; color: #fff;
         background: #57606a; }
.status-compliant .badge, .badge.status-compliant, .status-applied .badge { background: #1a7f37; }
.status-drift .badge, .status-waived .badge { background: #9a6700; }
.status-failed .badge, .status-error .badge, .status-blocked .badge { background: #cf222e; }
.status-skipped .badge { background: #8c959f; }
ul.findings, ul.changes { margin: 0; padding-left: 1rem; }
li.finding { margin-bottom: .4rem; }
li.finding.waived { opacity: .75; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; }
.sev-critical, .sev-high { color: #cf222e; }
.sev-medium { color: #9a6700; }
.sev-low, .sev-info { color: #57606a; }
.reason, .fix, .waiver { font-size: .9em; color: #57606a; }
.waiver { color: #9a6700; }
td.reach-yes { background: #dafbe1; }
td.reach-no { background: #ffebe9; }
td.reach-unknown { background: #fff8c5; }
td.changed { font-weight: 700; }
.override, .warning { color: #cf222e; }
.filter { margin: .5rem 0; }
footer { margin-top: 2rem; font-size: .8rem; color: #57606a; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f8fa; padding: .5rem; }
@media print { .filter { display: none; } }
)css";

inline constexpr const char* html_report_script = R"js(
(function () {
  'use strict';
  var filter = document.getElementById('attention-filter');
  var box = document.getElementById('only-attention');
  var rows = document.querySelectorAll('#steps-table tr.step');
  var shown = document.getElementById('steps-shown');
  if (!filter || !box || !shown) { return; }
  function update() {
    var visible = 0;
    for (var i = 0; i < rows.length; i++) {
      var s = rows[i].getAttribute('data-status');
      rows[i].hidden = box.checked && (s === 'compliant' || s === 'applied' || s === 'skipped');
      if (!rows[i].hidden) { visible++; }
    }
    shown.textContent = visible + ' of ' + rows.length + ' steps shown';
  }
  box.addEventListener('change', update);
  if (window.location.hash === '#attention') { box.checked = true; }
  filter.hidden = false;
  update();
})();
)js";

}  // namespace smharden::core
