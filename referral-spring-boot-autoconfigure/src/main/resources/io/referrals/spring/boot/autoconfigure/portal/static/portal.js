/* The referral portal's pages: plain JavaScript, no libraries. Every text from the server goes in as textContent. */
(function () {
  'use strict';
  var session = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'className') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function date(iso) {
    if (!iso) { return ''; }
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  }

  function notice(text) {
    var n = $('notice');
    n.textContent = text;
    n.hidden = !text;
  }

  function request(method, path, data) {
    var headers = { 'Accept': 'application/json' };
    var body;
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
      if (session) {
        headers[session.csrf.header] = session.csrf.token;
        if (session.springCsrf) { headers[session.springCsrf.header] = session.springCsrf.token; }
      }
      body = new URLSearchParams(data || {}).toString();
    }
    return fetch(path, { method: method, headers: headers, body: body, credentials: 'same-origin' })
      .then(function (r) {
        return r.text().then(function (t) {
          var json = null;
          try { json = t ? JSON.parse(t) : null; } catch (e) { json = null; }
          if (r.status === 401) { notice('Your session has ended: reload the page to sign in again.'); }
          return { status: r.status, ok: r.ok, body: json || {} };
        });
      });
  }

  function start() {
    request('GET', 'api/session').then(function (r) {
      if (!r.ok) {
        if (r.status !== 401) { notice('The portal could not load (' + r.status + '). Try again later.'); }
        return;
      }
      session = r.body;
      $('who').textContent = 'Signed in as ' + session.user;
      document.querySelectorAll('.admin-only').forEach(function (a) { a.hidden = !session.admin; });
      document.querySelectorAll('.advocate-only').forEach(function (a) { a.hidden = !session.advocate; });
      var page = document.body.getAttribute('data-page');
      if (page === 'dashboard') { dashboard(); } else if (page === 'admin') { admin(); } else if (page === 'report') { report(); }
    }, function () { notice('The portal could not be reached. Check your connection and reload.'); });
  }

  // ---- the advocate's dashboard ------------------------------------------------------------------------------------

  var nextReferrals = null, nextRewards = null;

  function dashboard() {
    if (!session.advocate) {
      notice(session.admin ? 'You are signed in as a program admin: see the review queue and the program report.'
        : 'Your account is not linked to a referral program yet.');
      document.querySelectorAll('main section').forEach(function (s) { s.hidden = true; });
      return;
    }
    $('refer').addEventListener('submit', submitReferral);
    $('referrals-more').addEventListener('click', function () { more('referrals'); });
    $('rewards-more').addEventListener('click', function () { more('rewards'); });
    newRequestId();
    loadView();
  }

  function loadView() {
    return request('GET', 'api/me').then(function (r) {
      if (!r.ok) { notice('Your referrals could not be loaded (' + r.status + ').'); return; }
      var v = r.body;
      $('greeting').textContent = 'Hello ' + v.displayName;
      var pts = $('points');
      pts.textContent = v.pointsBalance + ' points';
      pts.hidden = !v.pointsBalance;
      renderShare(v.programs);
      renderPrograms(v.programs);
      var rb = $('referrals').tBodies[0]; rb.textContent = '';
      v.referrals.items.forEach(function (l) { rb.appendChild(referralRow(l)); });
      nextReferrals = v.referrals.next;
      $('referrals-more').hidden = !nextReferrals;
      $('referrals-empty').hidden = v.referrals.items.length > 0;
      var wb = $('rewards').tBodies[0]; wb.textContent = '';
      v.rewards.items.forEach(function (l) { wb.appendChild(rewardRow(l)); });
      nextRewards = v.rewards.next;
      $('rewards-more').hidden = !nextRewards;
      $('rewards-empty').hidden = v.rewards.items.length > 0;
    });
  }

  function more(kind) {
    var cursor = kind === 'referrals' ? nextReferrals : nextRewards;
    if (!cursor) { return; }
    request('GET', 'api/me/' + kind + '?cursor=' + encodeURIComponent(cursor)).then(function (r) {
      if (!r.ok) { return; }
      var body = $(kind).tBodies[0];
      r.body.items.forEach(function (l) { body.appendChild(kind === 'referrals' ? referralRow(l) : rewardRow(l)); });
      if (kind === 'referrals') { nextReferrals = r.body.next; } else { nextRewards = r.body.next; }
      $(kind + '-more').hidden = !r.body.next;
    });
  }

  function renderShare(programs) {
    var box = $('share');
    box.textContent = '';
    var any = false;
    programs.forEach(function (p) {
      if (p.optedOut) { return; }
      p.codes.forEach(function (c, i) {
        any = true;
        var id = 'share-' + p.programId + '-' + i;
        var value = c.link || c.code;
        var input = el('input', { id: id, readonly: 'readonly', value: value });
        var button = el('button', { type: 'button', className: 'primary', text: c.link ? 'Copy link' : 'Copy code' });
        button.addEventListener('click', function () { copy(input, button); });
        box.appendChild(el('div', { className: 'share' }, [
          el('label', { 'for': id, className: 'program', text: p.name + (c.link ? '' : ' (code ' + c.code + ')') }),
          input, button]));
        (p.progress || []).forEach(function (g) {
          var meter = el('meter', { min: '0', max: String(g.target || 1), value: String(Math.min(g.current, g.target || 1)) });
          box.appendChild(el('p', { className: 'progress' }, [meter, el('span', { text: g.title + ': ' + g.text })]));
        });
      });
    });
    if (!any) { box.appendChild(el('p', { className: 'empty', text: 'You have no referral code yet.' })); }
  }

  function copy(input, button) {
    var done = function () { $('copied').textContent = 'Copied to the clipboard.'; button.focus(); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); $('copied').textContent = 'Press Ctrl+C to copy.'; });
    } else {
      input.select();
      try { document.execCommand('copy'); done(); } catch (e) { $('copied').textContent = 'Press Ctrl+C to copy.'; }
    }
  }

  function renderPrograms(programs) {
    var select = $('program');
    select.textContent = '';
    var open = programs.filter(function (p) { return !p.optedOut; });
    open.forEach(function (p) { select.appendChild(el('option', { value: p.programId, text: p.name })); });
    $('program-field').hidden = open.length < 2;
    if (open.length === 0) {
      $('submit').disabled = true;
      $('result').textContent = 'You are not in any open referral program.';
    }
  }

  function referralRow(l) {
    var status = el('td', { 'data-label': 'Status' }, [el('span', { className: 'badge ' + l.state, text: l.label })]);
    if (l.reason) { status.appendChild(el('span', { className: 'reason', text: l.reason.text })); }
    return el('tr', {}, [el('td', { text: l.company }), status,
      el('td', { 'data-label': 'Submitted', text: date(l.submittedAt) }),
      el('td', { 'data-label': 'Last update', text: date(l.lastMovedAt) })]);
  }

  function rewardRow(l) {
    var status = el('td', { 'data-label': 'Status' }, [el('span', { className: 'badge ' + (l.pending ? 'pending' : l.status), text: l.statusLabel })]);
    if (l.pending) { status.appendChild(el('span', { className: 'reason', text: l.pending.text })); }
    return el('tr', {}, [el('td', { text: l.description }), status, el('td', { 'data-label': 'Earned', text: date(l.earnedAt) })]);
  }

  var requestId = '';
  function newRequestId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    requestId = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  var FIELDS = ['program', 'name', 'email', 'company', 'jobTitle', 'phone', 'note', 'consent'];

  function clearErrors() {
    FIELDS.forEach(function (f) { $('err-' + f).textContent = ''; $(f).removeAttribute('aria-invalid'); });
    $('err-form').hidden = true;
    $('result').textContent = '';
    $('result').className = 'form-result';
  }

  function submitReferral(ev) {
    ev.preventDefault();
    clearErrors();
    var form = $('refer');
    var data = { requestId: requestId };
    FIELDS.forEach(function (f) {
      var input = form.elements[f];
      if (f === 'consent') { data[f] = input.checked ? 'true' : ''; } else { data[f] = input.value; }
    });
    $('submit').disabled = true;
    request('POST', 'api/me/referrals', data).then(function (r) {
      $('submit').disabled = false;
      if (r.status === 400 && r.body.errors) {
        var first = null;
        Object.keys(r.body.errors).forEach(function (f) {
          var target = FIELDS.indexOf(f) >= 0 ? f : 'form';
          if (target === 'form') { $('err-form').textContent = r.body.errors[f]; $('err-form').hidden = false; return; }
          if (target === 'program') { $('program-field').hidden = false; }
          $('err-' + target).textContent = r.body.errors[f];
          $(target).setAttribute('aria-invalid', 'true');
          if (!first) { first = $(target); }
        });
        if (first) { first.focus(); }
        return;
      }
      var result = $('result');
      if (r.status === 201) {
        result.className = 'form-result ok';
        result.textContent = r.body.outcome === 'under_review'
          ? 'Thank you! Your referral was received and is being reviewed.' : 'Thank you! Your referral was sent.';
        form.reset();
        newRequestId();
        loadView();
        return;
      }
      result.className = 'form-result bad';
      if (r.body.reasons && r.body.reasons.length) {
        result.textContent = r.body.reasons.map(function (x) { return x.text; }).join(' ');
        newRequestId();
        loadView();
      } else if (r.status === 403) {
        result.textContent = 'The form expired: reload the page and try again.';
      } else {
        result.textContent = 'The referral could not be sent (' + r.status + '). Try again later.';
      }
    }, function () {
      $('submit').disabled = false;
      $('result').className = 'form-result bad';
      $('result').textContent = 'The referral could not be sent: check your connection.';
    });
  }

  // ---- the admin's review queue ------------------------------------------------------------------------------------

  function programsInto(select, first) {
    return request('GET', 'api/admin/programs').then(function (r) {
      if (!r.ok) { return []; }
      r.body.programs.forEach(function (p) { select.appendChild(el('option', { value: p.id, text: p.name })); });
      if (first && r.body.programs.length) { select.value = r.body.programs[0].id; }
      return r.body.programs;
    });
  }

  function admin() {
    if (!session.admin) { notice('The review queue is for program admins.'); return; }
    programsInto($('program'), false).then(loadQueue);
    $('program').addEventListener('change', loadQueue);
  }

  function loadQueue() {
    var p = $('program').value;
    request('GET', 'api/admin/review' + (p ? '?program=' + encodeURIComponent(p) : '')).then(function (r) {
      var list = $('queue');
      list.textContent = '';
      if (!r.ok) { notice('The queue could not be loaded (' + r.status + ').'); return; }
      r.body.items.forEach(function (it) { list.appendChild(queueItem(it)); });
      $('queue-empty').hidden = r.body.items.length > 0;
    });
  }

  function queueItem(it) {
    var noteId = 'note-' + it.id;
    var findings = el('ul', { className: 'findings' });
    it.findings.forEach(function (f) { findings.appendChild(el('li', { text: f.text + ' (' + f.code + ')' })); });
    var approve = el('button', { type: 'button', className: 'primary', text: 'Approve' });
    var deny = el('button', { type: 'button', className: 'danger', text: 'Deny' });
    var li = el('li', { 'data-referral': it.id }, [
      el('h2', { text: it.company }),
      el('p', { className: 'meta', text: it.prospectName + ' <' + it.prospectEmail + '> · referred by ' + it.advocateName
        + ' on ' + date(it.submittedAt) }),
      el('p', { className: 'meta', text: 'Held back because:' }), findings,
      el('div', { className: 'field' }, [el('label', { 'for': noteId, text: 'Note (optional)' }),
        el('input', { id: noteId })]),
      el('div', { className: 'actions' }, [approve, deny])]);
    approve.setAttribute('aria-label', 'Approve the referral of ' + it.company);
    deny.setAttribute('aria-label', 'Deny the referral of ' + it.company);
    approve.addEventListener('click', function () { decide(li, it, 'approve'); });
    deny.addEventListener('click', function () { decide(li, it, 'deny'); });
    return li;
  }

  function decide(li, it, action) {
    li.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    request('POST', 'api/admin/review/' + encodeURIComponent(it.id) + '/' + action, { note: $('note-' + it.id).value })
      .then(function (r) {
        var result = $('result');
        if (r.ok) {
          result.className = 'form-result ok';
          result.textContent = (action === 'approve' ? 'Approved' : 'Denied') + ': ' + it.company + '.';
          li.remove();
          $('queue-empty').hidden = $('queue').children.length > 0;
          var next = $('queue').querySelector('button');
          if (next) { next.focus(); } else { $('program').focus(); }
        } else {
          result.className = 'form-result bad';
          result.textContent = r.status === 409 ? 'Someone already decided on ' + it.company + '.'
            : 'That did not work (' + r.status + '): reload and try again.';
          li.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
        }
      });
  }

  // ---- the program report ------------------------------------------------------------------------------------------

  function report() {
    if (!session.admin) { notice('The program report is for program admins.'); return; }
    programsInto($('program'), true).then(loadReport);
    $('query').addEventListener('submit', function (e) { e.preventDefault(); loadReport(); });
  }

  function loadReport() {
    var p = $('program').value;
    if (!p) { return; }
    var q = 'program=' + encodeURIComponent(p);
    if ($('from').value) { q += '&from=' + $('from').value; }
    if ($('to').value) { q += '&to=' + $('to').value; }
    $('err-form').hidden = true;
    request('GET', 'api/admin/report?' + q).then(function (r) {
      if (!r.ok) {
        $('err-form').textContent = r.body.errors ? Object.keys(r.body.errors).map(function (k) { return k + ': ' + r.body.errors[k]; }).join('; ')
          : 'The report could not be loaded (' + r.status + ').';
        $('err-form').hidden = false;
        return;
      }
      var rep = r.body;
      var kpis = $('kpis');
      kpis.textContent = '';
      [['Referrals', rep.submitted], ['Won', rep.won], ['Referral to won', rep.referralToWon],
        ['Advocates referring', rep.referringAdvocates + ' of ' + rep.advocatesEnrolled + ' (' + rep.participation + ')'],
        ['Revenue', rep.revenue ? rep.revenue.amount + ' ' + rep.revenue.currency : '-'], ['ROI', rep.roi]]
        .forEach(function (k) { kpis.appendChild(el('div', {}, [el('dt', { text: k[0] }), el('dd', { text: String(k[1]) })])); });
      funnel(rep.funnel);
      var top = $('top').tBodies[0];
      top.textContent = '';
      rep.topByWon.forEach(function (a) {
        top.appendChild(el('tr', {}, [el('td', { text: a.displayName }), el('td', { 'data-label': 'Referred', text: String(a.submitted) }),
          el('td', { 'data-label': 'Won', text: String(a.won) })]));
      });
    });
  }

  function stageName(s) {
    var n = (s && s.name !== undefined ? s.name : String(s)).replace(/_/g, ' ');
    return n.charAt(0).toUpperCase() + n.slice(1);
  }

  function funnel(steps) {
    var box = $('funnel');
    box.textContent = '';
    box.className = 'funnel';
    var max = Math.max.apply(null, steps.map(function (s) { return s.reached; }).concat([1]));
    var rowH = 38, labelW = 150, width = 600, barW = width - labelW - 110;
    var height = steps.length * rowH + 8;
    var desc = steps.map(function (s) { return stageName(s.stage) + ': ' + s.reached; }).join(', ');
    var chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': 'funnel-title' });
    chart.appendChild(svg('title', { id: 'funnel-title' }, 'Funnel: ' + desc));
    steps.forEach(function (s, i) {
      var y = i * rowH + 4;
      var w = Math.max(2, Math.round(barW * s.reached / max));
      var x = labelW + (barW - w) / 2;
      chart.appendChild(svg('text', { x: labelW - 10, y: y + rowH / 2 + 5, 'text-anchor': 'end' }, stageName(s.stage)));
      chart.appendChild(svg('rect', { x: x, y: y + 3, width: w, height: rowH - 8, rx: 4, 'class': 'bar-fill',
        'fill-opacity': String(1 - i * 0.6 / Math.max(1, steps.length)) }));
      chart.appendChild(svg('text', { x: labelW + barW + 10, y: y + rowH / 2 + 5, 'class': 'count' },
        s.reached + (i > 0 ? ' (' + s.fromPrevious + ')' : '')));
    });
    box.appendChild(chart);
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
}());
