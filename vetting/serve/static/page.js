// The page of `vetting serve`: collect the files and options, upload them, follow the check,
// show the summary, the changes since the last check, the downloads and the report.
(function () {
  'use strict';
  var T = {
    zh: {
      title: '村(社区)“两委”换届候选人资格审查',
      tagline: '在本机检查拟任人选名单：文件只在这台电脑上处理，不会上传到别处。',
      s1: '选择名单', drop: '把名单文件拖到这里，或点击选择',
      drop_hint: 'Excel（.xlsx）或 CSV 台账，可以一次选多个文件（如各乡镇分别报送的名单）',
      more: '更多材料（可选）', waivers: '豁免清单（YAML）', waivers_hint: '组织部批准的例外；被豁免的问题显示为“已豁免”',
      previous: '上届名单', previous_hint: '用于统计表中与上届比较（连任、新进、退出）',
      units_file: '单位信息表', units_hint: '职数、候选人数、公布日期等（换届程序规则）；名单工作簿里有“单位信息”工作表时不必另给',
      reserve: '后备人选台账', reserve_hint: '给出后，计算使班子达到结构目标的最少调整（与 vetting suggest 相同）',
      suggest: '调整建议', suggest_details: '详细方案', dl_plan: '调整建议（JSON）', dl_slate: '调整后名单（Excel，含完整身份证号）',
      st_suggest: '正在计算调整建议…', suggest_n: '共 {n} 项调整；仍有 {u} 项目标无法满足',
      s2: '政策与选举日', policy: '政策', policy_file: '政策文件（YAML）', upload_policy: '上传政策文件…',
      as_of: '选举日（基准日）', as_of_hint: '年龄按这一天计算周岁', run: '开始检查', rerun: '重新检查',
      rerun_hint: '修改名单并保存后，把修改过的文件重新拖进来（同名文件会被替换），再点“重新检查”。',
      result: '检查结果', error: '错误', warning: '警告', info: '提示', waived: '已豁免', rows: '数据行', people: '人',
      units: '村(社区)', download: '下载：', dl_xlsx: '标注名单（Excel）', dl_html: '审查报告（网页）',
      dl_json: '审查结果（JSON）', dl_stats: '结构统计（Excel）', dl_zip: '全部下载（zip）',
      footer: '身份证号只显示前 6 位和后 4 位，电话不显示；关闭页面或停止 vetting serve 时，上传的文件和结果即被删除。',
      remove: '移除', need_roster: '请先选择要检查的名单文件。', need_policy_file: '请选择政策文件（.yaml）。',
      uploading: '正在上传… {p}', st_queued: '排队等待…', st_lint: '正在读取并检查名单（{n} 个文件）…', st_report: '正在生成报告…', st_stats: '正在生成结构统计…',
      done_in: '完成，用时 {s} 秒', policy_ok: '✓ {title}', policy_checking: '正在检查政策文件…',
      policy_date: '（政策设定的选举日 {d}）', verdict_fail: '未通过：{n} 个错误须修改后重新检查',
      verdict_warn: '无错误；{n} 个警告需研判', verdict_ok: '未发现错误或警告',
      changes: '与上次检查相比', new_n: '新出现 {n} 个问题', fixed_n: '已解决 {n} 个问题', same: '问题没有变化',
      new_list: '新出现的问题', fixed_list: '已解决的问题', report_lang: '报告是在中文界面下生成的；重新检查可生成英文报告。',
      report_lang_en: '报告是在英文界面下生成的；重新检查可生成中文报告。',
      upload_failed: '上传失败。如果在选择之后修改过文件，请把文件重新拖进来再检查。',
      no_date: '未填选举日：按政策设定的日期或今天计算。', internal: '详细信息', report_title: '审查报告',
      returns: '部门回复（联审）', returns_hint: '各联审部门填好的核查表或复函，可一次选多个；先与名单合并再检查（与 vetting lint --returns 相同）',
      review_round: '联审请求轮次', review_round_hint: '下载的联审请求（每部门一份）按这一轮次编号',
      hits_only: '仅列有问题人员', hits_only_dept: '部门', returns_checking: '正在读取部门回复…',
      returns_ok: '✓ {n} 份回复可以合并', returns_info: '{dept} · 第{round}轮 · {rows}行 · 识别自{how}',
      returns_self_hits: '（文件中写明仅列有问题人员）', how_page: '页面勾选', how_sheet: '“说明”页', how_above: '表头上方', how_name: '文件名',
      st_review: '正在生成联审文件…', review: '联审', rt_file: '回复文件', rt_dept: '部门', rt_round: '轮次', rt_rows: '行数', rt_how: '识别自',
      rv_none: '联审合并没有发现问题', not_merged: '未合并（RV006）',
      review_sum: '{f} 份回复，合并 {cells} 项（其中“有” {hits} 项）；尚缺 {missing} 项必须的回复；联审问题：错误 {e}，警告 {w}',
      review_done: '联审已完成：', review_open: '联审未完成：',
      review_concl: '结论：通过 {p} 人，不通过 {x} 人，待定 {q} 人',
      requests_sum: '联审请求：第{round}轮，{n} 个部门', requests_people: '，各 {people} 人',
      requests_making: '正在生成联审请求，稍候即开始下载…',
      dl_requests: '联审请求（每部门一份 Excel，zip，含完整身份证号）', dl_ledger: '联审台账（Excel）',
      dl_merged: '合并后的名单（Excel，含完整身份证号）', dl_forms: '资格审查表（可打印网页）',
      review_hint: '上传各部门的回复后，可下载联审台账、合并后的名单和资格审查表。'
    },
    en: {
      title: '两委 candidate vetting', tagline: 'Checks rosters on this computer: the files are processed here and sent nowhere else.',
      s1: 'Rosters', drop: 'Drop roster files here, or click to choose',
      drop_hint: 'Excel (.xlsx) or CSV; several files at once (e.g. one per township)',
      more: 'More inputs (optional)', waivers: 'Waivers (YAML)', waivers_hint: 'exceptions approved by the vetting authority; shown as waived',
      previous: 'Previous-term roster', previous_hint: 'for the statistics workbook: re-elected, new, leaving',
      units_file: 'Unit table', units_hint: 'posts, candidates, publication dates (the election procedure rules); not needed when the roster workbook has a 单位信息 sheet',
      reserve: 'Reserve pool', reserve_hint: 'when given, the smallest changes that meet the structural targets (as vetting suggest)',
      suggest: 'Suggested changes', suggest_details: 'The plan', dl_plan: 'Plan (JSON)', dl_slate: 'Proposed slate (Excel, full ID numbers)',
      st_suggest: 'Working out the suggested changes…', suggest_n: '{n} changes; {u} targets cannot be met',
      s2: 'Policy and election date', policy: 'Policy', policy_file: 'Policy file (YAML)', upload_policy: 'Upload a policy file…',
      as_of: 'Election date', as_of_hint: 'ages are counted in full years on this day', run: 'Check', rerun: 'Check again',
      rerun_hint: 'After fixing the roster, drop the changed file here again (a file of the same name is replaced) and check again.',
      result: 'Result', error: 'errors', warning: 'warnings', info: 'info', waived: 'waived', rows: 'rows', people: 'people',
      units: 'units', download: 'Download:', dl_xlsx: 'Annotated roster (Excel)', dl_html: 'Report (web page)',
      dl_json: 'Findings (JSON)', dl_stats: 'Statistics (Excel)', dl_zip: 'All (zip)',
      footer: 'ID numbers show only their first 6 and last 4 characters, phone numbers are not shown; the uploads and results are deleted when the page closes or vetting serve stops.',
      remove: 'remove', need_roster: 'Choose at least one roster file first.', need_policy_file: 'Choose the policy file (.yaml).',
      uploading: 'Uploading… {p}', st_queued: 'Waiting…', st_lint: 'Reading and checking the rosters ({n} files)…', st_report: 'Writing the reports…', st_stats: 'Computing the statistics…',
      done_in: 'Done in {s} s', policy_ok: '✓ {title}', policy_checking: 'Checking the policy file…',
      policy_date: ' (election date set by the policy: {d})', verdict_fail: 'Failed: {n} errors to fix before checking again',
      verdict_warn: 'No errors; {n} warnings to review', verdict_ok: 'No errors or warnings',
      changes: 'Since the last check', new_n: '{n} new findings', fixed_n: '{n} fixed', same: 'no change in the findings',
      new_list: 'New findings', fixed_list: 'Fixed findings', report_lang: 'The report was made in Chinese; check again for an English one.',
      report_lang_en: 'The report was made in English; check again for a Chinese one.',
      upload_failed: 'The upload failed. If a file was changed after it was chosen, drop it here again and check again.',
      no_date: 'No election date: the policy\'s date or today is used.', internal: 'details', report_title: 'Report',
      returns: 'Department returns (联审)', returns_hint: 'the filled request workbooks or replies of the reviewing departments, several at once; merged into the roster before the check (as vetting lint --returns)',
      review_round: 'Round of the requests', review_round_hint: 'the 联审 requests to download (one per department) carry this round',
      hits_only: 'lists only people with findings', hits_only_dept: 'department', returns_checking: 'Reading the returns…',
      returns_ok: '✓ {n} returns can be merged', returns_info: '{dept} · round {round} · {rows} rows · recognised by {how}',
      returns_self_hits: ' (the file says it lists only people with findings)', how_page: 'the choice on this page', how_sheet: 'its 说明 sheet',
      how_above: 'the text above the header', how_name: 'the file name',
      st_review: 'Writing the 联审 documents…', review: 'Joint review (联审)', rt_file: 'Return', rt_dept: 'Department', rt_round: 'Round',
      rt_rows: 'Rows', rt_how: 'Recognised by', rv_none: 'The merge found no problems', not_merged: 'not merged (RV006)',
      review_sum: '{f} returns, {cells} cells merged ({hits} with something to report); {missing} required answers missing; review findings: {e} errors, {w} warnings',
      review_done: 'Review complete: ', review_open: 'Review not complete: ',
      review_concl: 'Conclusion: {p} pass, {x} fail, {q} pending',
      requests_sum: '联审 requests: round {round}, {n} departments', requests_people: ', {people} people each',
      requests_making: 'Writing the 联审 requests; the download starts when they are ready…',
      dl_requests: '联审 requests (one Excel per department, zip, full ID numbers)', dl_ledger: 'Ledger 联审台账 (Excel)',
      dl_merged: 'Merged roster (Excel, full ID numbers)', dl_forms: '资格审查表 forms (printable web page)',
      review_hint: 'After uploading the departments\' returns, the ledger, the merged roster and the forms can be downloaded.'
    }
  };
  var $ = function (id) { return document.getElementById(id); };
  var state = {
    lang: 'zh', session: null, policies: [], rosters: [], job: null, lastSummary: null,
    dateTouched: false, policyInfo: null, busy: false,
    returns: [],  // {file, hits (a hits-only list), dept (its department)}
    returnsInfo: null,  // the server's reading of the returns: {ok, returns | error}
    requests: {}  // job -> the 联审 requests once written ({done} or {error})
  };
  try { if (localStorage.getItem('vetting-lang') === 'en') { state.lang = 'en'; } } catch (e) { /* no storage */ }

  function t(key, args) {
    var s = (T[state.lang] && T[state.lang][key]) || T.zh[key] || key;
    if (args) { s = s.replace(/\{(\w+)\}/g, function (m, k) { return args[k] === undefined ? m : String(args[k]); }); }
    return s;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function api(path) { return '/api/s/' + encodeURIComponent(state.session) + path; }

  // -- language ---------------------------------------------------------------------------------
  function applyLang() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    Array.prototype.forEach.call(document.querySelectorAll('[data-t]'), function (e) { e.textContent = t(e.getAttribute('data-t')); });
    $('lang-zh').setAttribute('aria-pressed', String(state.lang === 'zh'));
    $('lang-en').setAttribute('aria-pressed', String(state.lang === 'en'));
    $('report').title = t('report_title');
    document.title = t('title') + ' · vetting';
    fillPolicies();
    renderRosters();
    renderReturns();
    $('run').textContent = t(state.lastSummary ? 'rerun' : 'run');
    $('run-hint').textContent = state.lastSummary ? t('rerun_hint') : '';
    if (state.lastSummary) { showResult(state.lastSummary, state.job); }
    if (state.policyInfo) { showPolicyInfo(state.policyInfo); }
  }
  ['lang-zh', 'lang-en'].forEach(function (id) {
    $(id).addEventListener('click', function () {
      state.lang = $(id).getAttribute('data-lang');
      try { localStorage.setItem('vetting-lang', state.lang); } catch (e) { /* no storage */ }
      applyLang();
    });
  });

  // -- files ------------------------------------------------------------------------------------
  function size(n) { return n > 1e6 ? (n / 1e6).toFixed(1) + ' MB' : Math.max(1, Math.round(n / 1e3)) + ' KB'; }
  function addFiles(items, list, make) {
    Array.prototype.forEach.call(list, function (f) {
      for (var i = items.length - 1; i >= 0; i--) { if ((items[i].file || items[i]).name === f.name) { items.splice(i, 1); } }  // a new version replaces the old
      items.push(make ? make(f) : f);
    });
  }
  function addRosters(list) { addFiles(state.rosters, list); renderRosters(); }
  function fileItem(f, onRemove) {
    var li = el('li');
    li.appendChild(el('span', 'fname', f.name));
    li.appendChild(el('span', 'size', size(f.size)));
    var b = el('button', 'rm', '×');
    b.type = 'button';
    b.title = t('remove');
    b.setAttribute('aria-label', t('remove') + ' ' + f.name);
    b.addEventListener('click', onRemove);
    li.appendChild(b);
    return li;
  }
  function renderRosters() {
    var ul = $('roster-list');
    ul.textContent = '';
    state.rosters.forEach(function (f, i) {
      ul.appendChild(fileItem(f, function () { state.rosters.splice(i, 1); renderRosters(); }));
    });
  }

  // -- the departments' returns (联审回复) ------------------------------------------------------
  // Read by the server as soon as they are chosen: each one's department and round, or what is
  // wrong with one (its file and row). A hits-only list is declared here, with its department.
  function departments() {
    var p = $('policy').value === 'upload' ? (state.policyInfo && state.policyInfo.ok && state.policyInfo.policy) : selectedPolicy();
    return (p && p.departments) || [];
  }
  function returnInfo(name) {
    var info = state.returnsInfo;
    if (!info || !info.ok) { return null; }
    for (var i = 0; i < info.returns.length; i++) { if (info.returns[i].path === name) { return info.returns[i]; } }
    return null;
  }
  var HOW = { '说明': 'how_sheet', '表头上方': 'how_above', '文件名': 'how_name', '--hits-only': 'how_page' };
  function renderReturns() {
    var ul = $('returns-list');
    ul.textContent = '';
    state.returns.forEach(function (r, i) {
      var li = fileItem(r.file, function () { state.returns.splice(i, 1); renderReturns(); checkReturns(); });
      var info = returnInfo(r.file.name);
      if (info) {
        li.appendChild(el('span', 'rinfo', t('returns_info', { dept: info.department, round: info.round, rows: info.rows, how: t(HOW[info.how] || info.how) })
          + (info.hits_only && !r.hits ? t('returns_self_hits') : '')));
      }
      var lab = el('label');
      var box = el('input');
      box.type = 'checkbox';
      box.className = 'hits';
      box.checked = r.hits;
      lab.appendChild(box);
      lab.appendChild(document.createTextNode(t('hits_only')));
      li.appendChild(lab);
      var sel = el('select');
      sel.className = 'hits-dept';
      sel.setAttribute('aria-label', t('hits_only_dept') + ' ' + r.file.name);
      departments().forEach(function (d) { var o = el('option', null, d); o.value = d; sel.appendChild(o); });
      if (!r.dept && info) { r.dept = info.department; }
      if (r.dept) { sel.value = r.dept; }
      sel.hidden = !r.hits;
      li.appendChild(sel);
      box.addEventListener('change', function () { r.hits = box.checked; r.dept = r.dept || sel.value; renderReturns(); checkReturns(); });
      sel.addEventListener('change', function () { r.dept = sel.value; checkReturns(); });
      ul.appendChild(li);
    });
    var st = $('returns-status');
    st.textContent = '';
    st.className = 'status';
    var info = state.returnsInfo;
    if (!state.returns.length || !info) { return; }
    if (info.pending) { st.textContent = t('returns_checking'); return; }
    if (info.ok) { st.className = 'status ok'; st.textContent = t('returns_ok', { n: info.returns.length }); return; }
    st.appendChild(errorBox(info.error));
  }
  function returnsFields(fd) {
    var hits = {};
    state.returns.forEach(function (r) {
      fd.append('returns', r.file, r.file.name);
      if (r.hits && r.dept) { hits[r.file.name] = r.dept; }
    });
    fd.append('hits_only', JSON.stringify(hits));
  }
  function policyFields(fd) {
    fd.append('policy', $('policy').value);
    var pf = $('policy-file').files[0];
    if ($('policy').value === 'upload' && pf) { fd.append('policy_file', pf, pf.name); }
  }
  var returnsSeq = 0;
  function checkReturns() {
    var seq = ++returnsSeq;
    if (!state.returns.length) { state.returnsInfo = null; renderReturns(); return; }
    if ($('policy').value === 'upload' && !$('policy-file').files.length) { return; }
    var fd = new FormData();
    returnsFields(fd);
    policyFields(fd);
    state.returnsInfo = { pending: true };
    renderReturns();
    send('/returns', function () { return fd; }).then(function (r) {
      if (seq !== returnsSeq) { return; }  // the list changed meanwhile: a newer reading follows
      state.returnsInfo = r.body.error && !('ok' in r.body) ? { ok: false, error: r.body.error } : r.body;
      renderReturns();
    }, function () {
      if (seq === returnsSeq) { state.returnsInfo = { ok: false, error: { message: t('upload_failed') } }; renderReturns(); }
    });
  }
  $('returns').addEventListener('change', function () {
    addFiles(state.returns, $('returns').files, function (f) { return { file: f, hits: false, dept: '' }; });
    $('returns').value = '';
    checkReturns();
  });
  var input = $('rosters');
  input.addEventListener('change', function () { addRosters(input.files); input.value = ''; });
  var drop = $('drop');
  ['dragenter', 'dragover'].forEach(function (ev) { drop.addEventListener(ev, function () { drop.classList.add('over'); }); });
  ['dragleave', 'drop'].forEach(function (ev) { drop.addEventListener(ev, function () { drop.classList.remove('over'); }); });
  // Files dropped outside the drop zone are not opened by the browser (they would replace the page).
  window.addEventListener('dragover', function (e) { if (e.target !== input) { e.preventDefault(); } });
  window.addEventListener('drop', function (e) {
    if (e.target !== input) { e.preventDefault(); if (e.dataTransfer && e.dataTransfer.files.length) { addRosters(e.dataTransfer.files); } }
  });

  // -- policy and date --------------------------------------------------------------------------
  function fillPolicies() {
    var sel = $('policy');
    var current = sel.value || 'national';
    sel.textContent = '';
    state.policies.forEach(function (p) {
      var o = el('option', null, p.title + (p.version ? ' ' + p.version : '') + '（' + p.name + '）');
      o.value = p.name;
      sel.appendChild(o);
    });
    var up = el('option', null, t('upload_policy'));
    up.value = 'upload';
    sel.appendChild(up);
    sel.value = current;
  }
  function setDefaultDate(d) {
    if (!state.dateTouched) { $('as-of').value = d || ''; }
  }
  function selectedPolicy() {
    var name = $('policy').value;
    for (var i = 0; i < state.policies.length; i++) { if (state.policies[i].name === name) { return state.policies[i]; } }
    return null;
  }
  $('policy').addEventListener('change', function () {
    var up = $('policy').value === 'upload';
    $('policy-upload-row').hidden = !up;
    state.policyInfo = null;
    showPolicyInfo(null);
    if (!up) { var p = selectedPolicy(); setDefaultDate(p && p.as_of); } else if ($('policy-file').files.length) { checkPolicyFile(); }
    renderReturns();
    checkReturns();  // the departments are the policy's
  });
  $('as-of').addEventListener('change', function () { state.dateTouched = true; });
  $('policy-file').addEventListener('change', checkPolicyFile);

  function showPolicyInfo(info) {
    var box = $('policy-status');
    box.textContent = '';
    box.className = 'status';
    if (!info) { return; }
    if (info.ok) {
      box.className = 'status ok';
      box.textContent = t('policy_ok', { title: info.policy.title }) + (info.policy.as_of ? t('policy_date', { d: info.policy.as_of }) : '');
    } else {
      box.appendChild(errorBox(info.error));
    }
  }
  function checkPolicyFile() {
    var f = $('policy-file').files[0];
    if (!f) { return; }
    var fd = new FormData();
    fd.append('policy_file', f, f.name);
    $('policy-status').textContent = t('policy_checking');
    send('/policy', function () { return fd; }).then(function (r) {
      var body = r.body;
      state.policyInfo = body.error && !('ok' in body) ? { ok: false, error: body.error } : body;
      showPolicyInfo(state.policyInfo);
      if (body.ok) { setDefaultDate(body.policy.as_of); }
      renderReturns();
      checkReturns();
    }, function () { showPolicyInfo({ ok: false, error: { message: t('upload_failed') } }); });
  }

  // -- errors -----------------------------------------------------------------------------------
  function errorBox(err) {
    var box = el('div', 'error');
    if (err.where) { box.appendChild(el('span', 'where', err.where)); }
    box.appendChild(el('div', 'emsg', err.message));
    if (err.details && err.details.length) {
      var ul = el('ul');
      err.details.forEach(function (d) { ul.appendChild(el('li', null, d)); });
      box.appendChild(ul);
    }
    if (err.hint) { box.appendChild(el('div', 'ehint', err.hint)); }
    if (err.internal) {
      var det = el('details');
      det.appendChild(el('summary', null, t('internal')));
      det.appendChild(el('pre', null, err.internal));
      box.appendChild(det);
    }
    return box;
  }
  function showError(err) {
    var box = $('error');
    box.textContent = '';
    box.hidden = !err;
    if (err) { box.appendChild(errorBox(err)); }
  }

  // -- session ----------------------------------------------------------------------------------
  function newSession() {
    return fetch('/api/session', { method: 'POST', credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (b) { state.session = b.session; });
  }
  // Every upload of the page goes through here: files to one of the session's endpoints, with
  // the upload's progress; a session ended by the server (idle for long) is renewed once.
  function send(path, form, onProgress) {
    function once() {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        xhr.open('POST', api(path));
        xhr.responseType = 'json';
        if (onProgress) {
          xhr.upload.onprogress = function (e) { if (e.lengthComputable) { onProgress(e.loaded / e.total); } };
        }
        xhr.onload = function () { resolve({ status: xhr.status, body: xhr.response || {} }); };
        xhr.onerror = function () { reject(new Error('upload')); };
        xhr.send(form());
      });
    }
    return once().then(function (r) {
      return r.status === 410 ? newSession().then(once) : r;
    });
  }
  window.addEventListener('pagehide', function () {
    if (state.session && navigator.sendBeacon) { navigator.sendBeacon(api('/end')); }
  });
  setInterval(function () {
    if (state.session) { fetch(api('/ping'), { method: 'POST', credentials: 'same-origin' }).catch(function () {}); }
  }, 60000);

  // -- the check --------------------------------------------------------------------------------
  function progress(pct, text) {
    $('progress').hidden = false;
    $('pbar').style.width = Math.round(pct) + '%';
    $('ptext').textContent = text;
  }
  function stageText(st) {
    var s = st.stage;
    if (!s) { return [50, t('st_queued')]; }
    if (s === 'notice') { return [60, st.text]; }  // the library's own words (a large file being read…)
    return [{ lint: 50, report: 70, stats: 80, review: 86, suggest: 92 }[s] || 50, t('st_' + s, st)];
  }
  function formData() {
    var fd = new FormData();
    state.rosters.forEach(function (f) { fd.append('rosters', f, f.name); });
    var u = $('units').files[0];
    if (u) { fd.append('units', u, u.name); }
    var w = $('waivers').files[0];
    if (w) { fd.append('waivers', w, w.name); }
    Array.prototype.forEach.call($('previous').files, function (f) { fd.append('previous', f, f.name); });
    Array.prototype.forEach.call($('reserve').files, function (f) { fd.append('reserve', f, f.name); });
    returnsFields(fd);
    fd.append('review_round', $('review-round').value || '1');
    policyFields(fd);
    fd.append('as_of', $('as-of').value || '');
    fd.append('lang', state.lang);
    return fd;
  }
  function setBusy(b) { state.busy = b; $('run').disabled = b; }

  $('form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (state.busy) { return; }
    showError(null);
    if (!state.rosters.length) { showError({ message: t('need_roster') }); return; }
    if ($('policy').value === 'upload' && !$('policy-file').files.length) { showError({ message: t('need_policy_file') }); return; }
    setBusy(true);
    progress(0, t('uploading', { p: '0%' }));
    var started = Date.now();
    send('/check', formData, function (f) { progress(40 * f, t('uploading', { p: Math.round(100 * f) + '%' })); }).then(function (r) {
      if (r.status !== 200) { throw r.body.error || { message: 'HTTP ' + r.status }; }
      return follow(r.body.job);
    }).then(function (job) {
      progress(100, t('done_in', { s: ((Date.now() - started) / 1000).toFixed(1) }));
      state.job = job.job;
      state.lastSummary = job.summary;
      showResult(job.summary, job.job);
      $('run').textContent = t('rerun');
      $('run-hint').textContent = t('rerun_hint');
    }).catch(function (err) {
      $('progress').hidden = true;
      showError(err instanceof Error ? { message: t('upload_failed') } : err);
    }).then(function () { setBusy(false); });
  });

  function follow(n) {
    return new Promise(function (resolve, reject) {
      function poll() {
        fetch(api('/jobs/' + n), { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (j) {
          if (j.error && !j.state) { reject(j.error); return; }
          if (j.state === 'done') { resolve(j); return; }
          if (j.state === 'error') { reject(j.error); return; }
          var p = stageText(j.stage || {});
          progress(p[0], p[1]);
          setTimeout(poll, 300);
        }).catch(function () { reject(new Error('poll')); });
      }
      poll();
    });
  }

  // -- the result -------------------------------------------------------------------------------
  function showResult(s, n) {
    var c = s.summary;
    ['error', 'warning', 'info', 'waived', 'rows', 'people', 'units'].forEach(function (k) { $('n-' + k).textContent = String(c[k]); });
    var v = $('verdict');
    if (c.error) { v.className = 'verdict v-fail'; v.textContent = t('verdict_fail', { n: c.error }); }
    else if (c.warning) { v.className = 'verdict v-warn'; v.textContent = t('verdict_warn', { n: c.warning }); }
    else { v.className = 'verdict v-ok'; v.textContent = t('verdict_ok'); }
    var notes = $('notices');
    notes.textContent = '';
    (s.notices || []).forEach(function (n) { notes.appendChild(el('li', null, n)); });
    notes.hidden = !(s.notices && s.notices.length);
    showChanges(s.changes);
    ['xlsx', 'html', 'json', 'stats', 'zip'].forEach(function (k) { link(k, n); });
    showReview(s.review, n);
    showSuggest(s.suggest, n);
    var rl = $('report-lang');
    rl.hidden = s.lang === state.lang;
    rl.textContent = s.lang === 'zh' ? t('report_lang') : t('report_lang_en');
    var frame = $('report');
    var src = api('/jobs/' + n + '/report');
    if (frame.getAttribute('src') !== src) { frame.setAttribute('src', src); }
    $('result').hidden = false;
  }
  function link(k, n) {
    var a = $('dl-' + k);
    a.href = api('/jobs/' + n + '/download/' + k);
    a.setAttribute('download', '');
    return a;
  }
  function showReview(rv, n) {
    var box = $('review');
    box.hidden = !rv;
    if (!rv) { return; }
    var req = rv.requests || {};
    var merged = !!rv.returns && !rv.error;
    $('dl-requests').hidden = !req.departments;
    ['ledger', 'merged', 'forms'].forEach(function (k) { $('dl-' + k).hidden = !merged; });
    if (req.departments) { link('requests', n).setAttribute('data-job', String(n)); }
    if (merged) { ['ledger', 'merged', 'forms'].forEach(function (k) { link(k, n); }); }
    $('review-hint').hidden = merged || !!rv.error;
    var made = state.requests[n];
    var err = $('review-error');
    err.textContent = '';
    if (made && made.error) { err.appendChild(errorBox(made.error)); }
    if (rv.error) { err.appendChild(errorBox(rv.error)); }
    var sum = $('review-summary');
    sum.textContent = '';
    if (req.departments) {
      var line0 = el('div', null, t('requests_sum', { round: req.round, n: req.departments.length })
        + (made && made.done ? t('requests_people', { people: made.done.people }) : ''));
      line0.id = 'requests-summary';
      sum.appendChild(line0);
      if (made && made.done && made.done.note) { sum.appendChild(el('div', 'hint', made.done.note)); }
    }
    var table = $('review-returns');
    var body = table.querySelector('tbody');
    body.textContent = '';
    table.hidden = !merged;
    var rvl = $('review-rv');
    rvl.textContent = '';
    if (!merged) { return; }
    var line = el('div', null);
    line.id = 'review-figures';
    line.setAttribute('data-rv-error', String(rv.rv_summary.error));
    line.setAttribute('data-rv-warning', String(rv.rv_summary.warning));
    line.setAttribute('data-n-merged', String(rv.merged_cells));
    line.setAttribute('data-n-missing', String(rv.missing));
    line.textContent = (rv.complete ? t('review_done') : t('review_open')) + t('review_sum', {
      f: rv.returns.length, cells: rv.merged_cells, hits: rv.merged_hits, missing: rv.missing,
      e: rv.rv_summary.error, w: rv.rv_summary.warning
    });
    sum.appendChild(line);
    var c = rv.conclusions;
    sum.appendChild(el('div', null, t('review_concl', { p: c.passed, x: c.to_replace, q: c.pending })));
    rv.returns.forEach(function (r) {
      var tr = el('tr');
      [r.path, r.department, r.round, r.rows, t(HOW[r.recognised_by] || r.recognised_by) + (r.hits_only ? ' · ' + t('hits_only') : '')]
        .forEach(function (v) { tr.appendChild(el('td', null, v)); });
      if (!r.merged) { var td = el('td', 'bad', t('not_merged')); tr.appendChild(td); }
      body.appendChild(tr);
    });
    var codes = Object.keys(rv.rv);
    if (!codes.length) { rvl.appendChild(el('li', null, t('rv_none'))); }
    codes.forEach(function (code) {
      var li = el('li');
      li.appendChild(el('code', null, code));
      li.appendChild(document.createTextNode(' × ' + rv.rv[code] + ((rv.rv_titles || {})[code] ? ' · ' + rv.rv_titles[code] : '')));
      li.setAttribute('data-code', code);
      li.setAttribute('data-n', String(rv.rv[code]));
      rvl.appendChild(li);
    });
  }
  // The 联审 requests are written when first asked for (a county's roster takes a while): the
  // click asks for them, says so, and downloads them when they are there.
  $('dl-requests').addEventListener('click', function (ev) {
    var a = $('dl-requests');
    var n = Number(a.getAttribute('data-job'));
    var made = state.requests[n];
    if (made && made.done) { return; }  // written: the link downloads them
    ev.preventDefault();
    if (a.getAttribute('aria-busy') === 'true') { return; }
    a.setAttribute('aria-busy', 'true');
    $('requests-status').textContent = t('requests_making');
    fetch(api('/jobs/' + n + '/requests'), { method: 'POST', credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (b) { return r.status === 200 ? { done: b.done } : { error: b.error || { message: 'HTTP ' + r.status } }; });
    }, function () { return { error: { message: t('upload_failed') } }; }).then(function (made) {
      a.removeAttribute('aria-busy');
      $('requests-status').textContent = '';
      state.requests[n] = made;
      if (state.lastSummary) { showReview(state.lastSummary.review, n); }
      if (made.done) { a.click(); }
    });
  });
  function showSuggest(sg, n) {
    var box = $('suggest');
    box.hidden = !sg;
    if (!sg) { return; }
    var sum = $('suggest-summary');
    sum.textContent = '';
    var ok = !sg.error;
    $('suggest-details').hidden = !ok;
    $('dl-plan').hidden = !ok;
    $('dl-slate').hidden = !ok;
    if (!ok) { sum.appendChild(errorBox(sg.error)); return; }
    sum.textContent = t('suggest_n', { n: sg.changes, u: sg.unmet });
    $('suggest-text').textContent = sg.text;
    ['plan', 'slate'].forEach(function (k) { link(k, n); });
  }
  function showChanges(ch) {
    var box = $('changes');
    box.textContent = '';
    box.hidden = !ch;
    if (!ch) { return; }
    box.appendChild(el('h3', null, t('changes')));
    var nums = el('div', 'nums');
    {
      var a = el('span', 'new', t('new_n', { n: ch.new.length }));
      var b = el('span', 'fixed', t('fixed_n', { n: ch.fixed.length }));
      a.id = 'n-new'; b.id = 'n-fixed';
      a.setAttribute('data-n', String(ch.new.length)); b.setAttribute('data-n', String(ch.fixed.length));
      nums.appendChild(a); nums.appendChild(document.createTextNode('  ·  ')); nums.appendChild(b);
      if (!ch.new.length && !ch.fixed.length) { nums.appendChild(document.createTextNode('  ·  ' + t('same'))); }
    }
    box.appendChild(nums);
    [['new', 'new_list'], ['fixed', 'fixed_list']].forEach(function (pair) {
      var items = ch[pair[0]];
      if (!items.length) { return; }
      var det = el('details');
      det.open = items.length <= 10;
      det.appendChild(el('summary', null, t(pair[1]) + '（' + items.length + '）'));
      var ul = el('ul');
      ul.id = 'list-' + pair[0];
      items.slice(0, 500).forEach(function (f) {
        var li = el('li');
        li.appendChild(el('code', null, f.code));
        li.appendChild(document.createTextNode(' ' + [f.title, f.name, f.where, f.cell, f.message].filter(Boolean).join(' · ')));
        ul.appendChild(li);
      });
      det.appendChild(ul);
      box.appendChild(det);
    });
  }

  // -- start ------------------------------------------------------------------------------------
  Promise.all([
    fetch('/api/config', { credentials: 'same-origin' }).then(function (r) { return r.json(); }),
    newSession()
  ]).then(function (res) {
    state.policies = res[0].policies || [];
    applyLang();
    var p = selectedPolicy();
    setDefaultDate(p && p.as_of);
    document.body.setAttribute('data-ready', '1');
  }).catch(function () { document.body.setAttribute('data-ready', 'error'); });
})();
