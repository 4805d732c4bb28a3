// The review page. Document text and messages are only ever inserted with textContent or
// text nodes, never as HTML, so an article holding "<script>" stays text.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const state = { files: [], file: null, doc: null, selected: 0, renders: 0 };
window.mtcleanState = state;  // read by the browser tests
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(path, body) {
  const opts = { headers: { "X-Mtclean-Token": TOKEN } };
  if (body !== undefined) {
    opts.method = "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  const type = res.headers.get("content-type") || "";
  const data = type.startsWith("application/json") ? await res.json() : await res.text();
  if (!res.ok) {
    const err = new Error(data.error || data || res.statusText);
    err.status = res.status;
    err.conflict = !!data.conflict;
    throw err;
  }
  return data;
}

function say(message, isError = false) {
  const s = $("status");
  s.textContent = message;
  s.className = isError ? "error" : "";
}

async function act(path, extra = {}) {
  try {
    show(await api(path, { file: state.file, ...extra }));
  } catch (e) {
    say(e.message, true);
    if (e.status === 409) await open(state.file, true);
  }
}

// ---- files ------------------------------------------------------------------------

async function loadFiles() {
  const data = await api("/api/files");
  state.files = data.files;
  const list = $("files");
  list.replaceChildren(...data.files.map((f) => el("li", {
    "data-name": f.name,
    class: (f.name === state.file ? "current " : "") + (f.dirty ? "dirty" : ""),
    onclick: () => open(f.name),
  }, f.name)));
  if (!state.file && data.files.length) await open(data.files[0].name);
}

async function open(name, keepStatus = false) {
  state.file = name;
  state.selected = 0;
  const doc = await api("/api/doc?file=" + encodeURIComponent(name));
  if (!keepStatus) say("");
  show(doc);
}

// ---- rendering ----------------------------------------------------------------------

function show(doc) {
  const prevKey = state.doc && state.doc.findings[state.selected]
    ? state.doc.findings[state.selected].key : null;
  state.doc = doc;
  state.renders += 1;
  const keys = doc.findings.map((f) => f.key);
  if (prevKey && keys.includes(prevKey)) state.selected = keys.indexOf(prevKey);
  state.selected = Math.max(0, Math.min(state.selected, doc.findings.length - 1));
  $("file-name").textContent = doc.file + (doc.dirty ? " (changed, not saved)" : "");
  $("count").textContent = `(${doc.findings.length})`;
  $("undo").disabled = !doc.can_undo;
  $("redo").disabled = !doc.can_redo;
  $("save").disabled = !doc.dirty && !doc.pending.length;
  for (const li of $("files").children) {
    li.classList.toggle("current", li.dataset.name === doc.file);
    if (li.dataset.name === doc.file) li.classList.toggle("dirty", doc.dirty);
  }
  renderText(doc);
  renderFindings(doc);
  select(state.selected, false);
}

// Split the text at every finding's edges; each piece is marked by the findings covering
// it (the innermost decides the colour). Insertions (empty spans) get a caret.
function renderText(doc) {
  const text = doc.text;
  const cuts = new Set([0, text.length]);
  for (const f of doc.findings) { cuts.add(f.start); cuts.add(f.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  const inserts = new Map();
  doc.findings.forEach((f, i) => {
    if (f.start === f.end) {
      if (!inserts.has(f.start)) inserts.set(f.start, []);
      inserts.get(f.start).push(i);
    }
  });
  // Sweep: `active` holds the findings covering the piece that starts at the current point.
  const starting = new Map();
  doc.findings.forEach((f, i) => {
    if (f.start < f.end) {
      if (!starting.has(f.start)) starting.set(f.start, []);
      starting.get(f.start).push(i);
    }
  });
  let active = [];
  for (let p = 0; p < points.length; p++) {
    const a = points[p];
    active = active.filter((i) => doc.findings[i].end > a).concat(starting.get(a) || []);
    for (const i of inserts.get(a) || []) {
      const f = doc.findings[i];
      out.push(el("span", { class: `finding ins cat-${f.category}`, "data-key": f.key,
        "data-index": i, title: `${f.rule}: ${f.message}` }, "\u2038"));
    }
    if (p + 1 >= points.length) break;
    const b = points[p + 1];
    const piece = text.slice(a, b);
    const covering = [...active];
    if (!covering.length) { out.push(document.createTextNode(piece)); continue; }
    covering.sort((x, y) => (doc.findings[x].end - doc.findings[x].start) - (doc.findings[y].end - doc.findings[y].start));
    const f = doc.findings[covering[0]];
    out.push(el("mark", { class: `finding cat-${f.category}`, "data-key": f.key,
      "data-index": covering[0], "data-keys": covering.map((i) => doc.findings[i].key).join(" "),
      title: covering.map((i) => `${doc.findings[i].rule}: ${doc.findings[i].message}`).join("\n") }, piece));
  }
  const box = $("text");
  box.replaceChildren(...out);
  box.onclick = (ev) => {
    const m = ev.target.closest(".finding");
    if (m) select(Number(m.dataset.index));
  };
}

function renderFindings(doc) {
  const items = doc.findings.map((f, i) => {
    const li = el("li", { class: `finding cat-${f.category}`, "data-key": f.key, "data-rule": f.rule,
      "data-index": i });
    const rule = f.documented
      ? el("button", { class: "rule", title: "Show the rule's documentation",
        onclick: (ev) => { ev.stopPropagation(); showRule(f.rule); } }, f.rule)
      : el("code", { class: "rule", title: `reported by ${f.source}` }, f.rule);
    li.append(el("div", { class: "head" }, rule, " ", el("span", { class: "category" }, f.category),
      " ", el("span", { class: "where" }, `line ${f.line}`)));
    li.append(el("div", { class: "message" }, f.message));
    li.append(el("div", { class: "flagged" }, el("code", {}, visible(f.text))));
    if (f.source_text !== undefined) {  // reviewed against a source: what the finding is about there
      li.append(el("div", { class: "source-text", title: `source line ${f.source_line}` },
        el("span", { class: "label" }, "source: "), el("span", { lang: "zh" }, f.source_text)));
    }
    const buttons = el("div", { class: "actions" });
    if (f.candidates.length > 1) {
      const sel = el("select", { class: "candidates", "aria-label": "Replacement" },
        ...f.candidates.map((c) => el("option", { value: c }, visible(c))));
      buttons.append(sel);
    } else if (f.candidates.length === 1) {
      buttons.append(el("code", { class: "replacement-preview" }, "→ " + visible(f.candidates[0])));
    }
    if (f.candidates.length) {
      buttons.append(el("button", { class: "accept", onclick: () => accept(i) },
        f.fix && f.fix.safety === "safe" ? "Accept" : `Accept (${f.fix ? f.fix.safety : "choice"})`));
    }
    buttons.append(el("button", { class: "reject", onclick: () => reject(i) }, "Reject"));
    buttons.append(el("button", { class: "edit", onclick: () => startEdit(i) }, "Edit"));
    const labels = { ignore: "Ignore always", spelling: "This spelling is right", disable: "Disable rule in file" };
    for (const kind of f.teach) {
      buttons.append(el("button", { class: kind, onclick: () => teach(i, kind) }, labels[kind]));
    }
    li.append(buttons);
    li.addEventListener("click", () => select(i, false));
    return li;
  });
  $("findings").replaceChildren(...items);
  const categories = [...new Set(doc.findings.map((f) => f.category))];
  $("legend").replaceChildren(...categories.map((c) => el("li", { class: `cat-${c}` },
    el("span", { class: "swatch" }), c)));
  if (!doc.findings.length) {
    $("findings").append(el("li", { class: "none" }, "No findings left in this file."));
  }
  if (doc.pending.length) {
    $("findings").append(el("li", { class: "pending" }, "Written at Save: " + doc.pending.join("; ")));
  }
}

// Whitespace a reader cannot see is shown as a symbol in the lists (not in the text).
function visible(s) {
  if (s === "") return "(nothing)";
  return s.replace(/\n/g, "↵").replace(/\t/g, "→").replace(/^ | $/g, "·").replace(/ {2,}/g, (m) => "·".repeat(m.length));
}

function select(i, scroll = true) {
  const doc = state.doc;
  if (!doc || !doc.findings.length) return;
  state.selected = (i + doc.findings.length) % doc.findings.length;
  const key = doc.findings[state.selected].key;
  for (const n of document.querySelectorAll(".finding.selected")) n.classList.remove("selected");
  for (const n of document.querySelectorAll(`.finding[data-key="${key}"]`)) {
    n.classList.add("selected");
    if (scroll) n.scrollIntoView({ block: "nearest" });
  }
}

// ---- actions ------------------------------------------------------------------------

function current(i) { return state.doc.findings[i === undefined ? state.selected : i]; }

async function accept(i) {
  const f = current(i);
  if (!f || !f.candidates.length) return;
  const li = $("findings").querySelector(`li[data-key="${f.key}"]`);
  const sel = li && li.querySelector("select.candidates");
  await act("/api/accept", { key: f.key, replacement: sel ? sel.value : f.candidates[0] });
}

async function reject(i) { const f = current(i); if (f) await act("/api/reject", { key: f.key }); }

async function teach(i, kind) {
  const f = current(i);
  if (f) await act("/api/teach", { key: f.key, kind });
}

function startEdit(i) {
  const f = current(i);
  if (!f) return;
  const li = $("findings").querySelector(`li[data-key="${f.key}"]`);
  if (li.querySelector("input.replacement")) return li.querySelector("input.replacement").focus();
  const input = el("input", { class: "replacement", type: "text", "aria-label": "Replacement text" });
  input.value = f.candidates.length ? f.candidates[0] : f.text;
  const apply = async () => act("/api/edit", { key: f.key, replacement: input.value });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { ev.preventDefault(); apply(); }
    if (ev.key === "Escape") { ev.preventDefault(); form.remove(); }
    ev.stopPropagation();
  });
  const form = el("div", { class: "edit-form" }, input,
    el("button", { class: "apply-edit", onclick: apply }, "Apply"),
    el("button", { class: "cancel-edit", onclick: () => form.remove() }, "Cancel"));
  li.append(form);
  input.focus();
  input.select();
}

async function showRule(id) {
  try {
    const doc = await api(`/api/rule?file=${encodeURIComponent(state.file)}&rule=${encodeURIComponent(id)}`);
    $("rule-doc-text").textContent = doc;
    $("rule-doc").hidden = false;
  } catch (e) { say(e.message, true); }
}

async function startSave() {
  try {
    const d = await api("/api/diff?file=" + encodeURIComponent(state.file));
    diffInto($("diff-text"), d.diff || "(the text itself is unchanged)");
    const files = $("diff-files");
    files.replaceChildren(...d.files.map((c) => {
      const pre = el("pre", { class: "diff" });
      diffInto(pre, c.diff);
      return el("section", {}, el("h3", {}, c.title), pre);
    }));
    conflict(d.conflict ? `${state.file} changed on disk since it was opened: saving would overwrite that change.` : "");
    $("diff-dialog").hidden = false;
    $("confirm-save").focus();
  } catch (e) { say(e.message, true); }
}

// A unified diff, one line per element, coloured by its first character.
function diffInto(pre, diff) {
  const kinds = { "+": "add", "-": "del", "@": "hunk", "\\": "note" };
  pre.replaceChildren(...diff.replace(/\n$/, "").split("\n").map((line) => {
    const kind = line.startsWith("+++") || line.startsWith("---") ? "file" : kinds[line[0]] || "same";
    return el("span", { class: `diff-${kind}` }, line);
  }));
}

function conflict(message) {
  $("diff-conflict").textContent = message;
  $("diff-conflict").hidden = !message;
  $("confirm-save").hidden = !!message;
  $("reload").hidden = !message;
}

async function confirmSave() {
  try {
    show(await api("/api/save", { file: state.file }));
    $("diff-dialog").hidden = true;
    say(`Saved ${state.file}.`);
    await loadFiles();
  } catch (e) {
    if (e.conflict) conflict(e.message); else say(e.message, true);
  }
}

async function reload() {
  await act("/api/reload");
  $("diff-dialog").hidden = true;
  say(`Reloaded ${state.file} from disk.`);
}

// ---- keyboard -----------------------------------------------------------------------

function onKey(ev) {
  if (ev.target.closest("input, select, textarea") || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (!$("diff-dialog").hidden) {
    if (ev.key === "Escape") $("diff-dialog").hidden = true;
    return;
  }
  const keys = {
    j: () => select(state.selected + 1), n: () => select(state.selected + 1), ArrowDown: () => select(state.selected + 1),
    k: () => select(state.selected - 1), p: () => select(state.selected - 1), ArrowUp: () => select(state.selected - 1),
    a: () => accept(), r: () => reject(), e: () => startEdit(), i: () => teach(undefined, "ignore"),
    u: () => act("/api/undo"), U: () => act("/api/redo"), s: () => startSave(),
    "?": () => toggleHelp(),
  };
  const fn = keys[ev.key];
  if (fn) { ev.preventDefault(); fn(); }
}

function toggleHelp() {
  $("help").hidden = !$("help").hidden;
  $("help-toggle").setAttribute("aria-expanded", String(!$("help").hidden));
}

document.addEventListener("DOMContentLoaded", () => {
  $("accept-safe").onclick = () => act("/api/accept-safe");
  $("undo").onclick = () => act("/api/undo");
  $("redo").onclick = () => act("/api/redo");
  $("save").onclick = startSave;
  $("confirm-save").onclick = confirmSave;
  $("cancel-save").onclick = () => { $("diff-dialog").hidden = true; };
  $("reload").onclick = reload;
  $("help-toggle").onclick = toggleHelp;
  $("rule-doc-close").onclick = () => { $("rule-doc").hidden = true; };
  document.addEventListener("keydown", onKey);
  // Leaving with unsaved changes asks first (the server keeps them until it stops).
  window.addEventListener("beforeunload", (ev) => {
    if ((state.doc && state.doc.dirty) || [...$("files").children].some((li) => li.classList.contains("dirty"))) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });
  loadFiles().catch((e) => say(e.message, true));
});
