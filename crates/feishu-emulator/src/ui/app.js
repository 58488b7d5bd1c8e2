"use strict";
// The emulator's page: polls the admin API, renders the world and the event
// log, and posts actions.
const FIELDS = {
  user_join: ["user", "chat"],
  user_leave: ["user", "chat"],
  add_users: ["user", "chat", "users"],
  add_bots: ["user", "chat", "bots"],
  remove_users: ["user", "chat", "users"],
  remove_bots: ["user", "chat", "bots"],
  withdraw_invitation: ["user", "chat", "users"],
  update_chat: ["user", "chat", "name", "description", "add_member_permission",
    "edit_permission", "at_all_permission", "membership_approval"],
  disband_chat: ["user", "chat"],
  transfer_owner: ["user", "chat", "new_owner"],
  open_p2p_chat: ["user", "bot"],
  user_sends_message: ["user", "chat", "text"],
  user_reacts: ["user", "message", "emoji_type"],
  user_reads: ["user", "message"],
  user_recalls: ["user", "message"],
};
const CHANGES = ["name", "description", "add_member_permission", "edit_permission",
  "at_all_permission", "membership_approval"];
const $ = (s) => document.querySelector(s);
let lastState = "";
let lastEvents = "";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function fill(select, items) {
  const keep = Array.from(select.selectedOptions).map((o) => o.value);
  select.replaceChildren(...items.map(([value, label]) => {
    const o = el("option", { value }, label);
    o.selected = keep.includes(value);
    return o;
  }));
}

function showFields() {
  const wanted = FIELDS[$("#action").value] || [];
  document.querySelectorAll("[data-field]").forEach((label) => {
    label.hidden = !wanted.includes(label.dataset.field);
  });
}

function chatTitle(c) {
  if (c.chat_mode === "p2p") return "one-to-one chat";
  return c.name || c.chat_id;
}

function renderState(s) {
  const users = s.users.filter((u) => !u.resigned).map((u) => [u.open_id, `${u.name} (${u.open_id})`]);
  const bots = s.apps.map((a) => [a.app_id, a.app_id]);
  const chats = s.chats.filter((c) => c.chat_mode !== "p2p" && c.chat_status === "normal")
    .map((c) => [c.chat_id, `${c.name || "(no name)"} (${c.chat_id})`]);
  fill($("#user"), users);
  fill($("#users"), users);
  fill($("#new_owner"), users);
  fill($("#bots"), bots);
  fill($("#bot"), bots);
  fill($("#chat"), chats);
  $("#summary").textContent =
    `${s.tenants.length} tenants · ${s.users.length} users · ${s.apps.length} apps · ${s.chats.length} chats`;
  const tenants = s.tenants.map((t) => {
    const section = el("div", { class: "tenant", "data-tenant": t.tenant_key },
      el("h3", {}, `${t.name} (${t.tenant_key})`));
    for (const c of s.chats.filter((c) => c.tenant_key === t.tenant_key)) {
      section.append(renderChat(c));
    }
    return section;
  });
  const typed = {};
  document.querySelectorAll("[data-compose]").forEach((f) => {
    typed[f.dataset.compose] = [f.querySelector("select").value, f.querySelector("input").value];
  });
  $("#tenants").replaceChildren(...tenants);
  for (const [chat, [user, text]] of Object.entries(typed)) {
    const f = document.querySelector(`[data-compose='${chat}']`);
    if (!f) continue;
    if (user) f.querySelector("select").value = user;
    f.querySelector("input").value = text;
  }
}

function renderChat(c) {
  const managers = new Set(c.managers.map((m) => m.id));
  const list = el("ul", { class: "members" });
  for (const m of c.members) {
    const item = el("li", { class: m.kind, "data-member": m.id }, m.name);
    if (m.id === c.owner.id) item.append(el("span", { class: "role" }, "owner"));
    else if (managers.has(m.id)) item.append(el("span", { class: "role" }, "manager"));
    if (m.kind === "user" && c.chat_status === "normal" && c.chat_mode !== "p2p") {
      const leave = el("button", { type: "button", class: "leave", title: `${m.name} leaves` }, "leaves");
      leave.addEventListener("click", () => send({ action: "user_leave", user: m.id, chat: c.chat_id }));
      item.append(leave);
    }
    list.append(item);
  }
  const dissolved = c.chat_status !== "normal";
  return el("div", { class: dissolved ? "chat dissolved" : "chat", "data-chat": c.chat_id },
    el("h4", {}, chatTitle(c)),
    el("div", { class: "meta" },
      `${c.chat_id} · ${c.chat_mode} · ${c.chat_type}${dissolved ? " · dissolved" : ""} · ` +
      `${c.members.length} members · add: ${c.settings.add_member_permission}`),
    list,
    renderMessages(c));
}

// A chat as a conversation: its messages (text and posts as text, cards
// drawn with their buttons and form inputs, recalled ones greyed), the
// last toast a card click showed, and a box to write as a member.
const toasts = {};

function renderMessages(c) {
  const list = el("ol", { class: "messages" });
  const pinned = new Set((c.pins || []).map((p) => p.message_id));
  for (const m of c.messages || []) {
    const body = m.card && !m.deleted
      ? renderCard(m.card, c, m)
      : el("span", { class: `body ${m.msg_type}` }, m.summary);
    const item = el("li", { class: m.deleted ? "message recalled" : "message", "data-message": m.message_id },
      el("span", { class: "sender" }, m.sender.name), body);
    if (m.parent_id) item.classList.add("reply");
    if (pinned.has(m.message_id)) item.append(el("span", { class: "tag" }, "pinned"));
    const reactions = (c.reactions || []).filter((r) => r.message_id === m.message_id);
    for (const r of reactions) item.append(el("span", { class: "tag reaction" }, r.emoji_type));
    for (const b of (c.buzz || []).filter((b) => b.message_id === m.message_id)) {
      item.append(el("span", { class: "tag buzz" }, `buzz ${b.kind} ×${b.users.length}`));
    }
    list.append(item);
  }
  const view = el("div", { class: "conversation" }, list);
  const toast = toasts[c.chat_id];
  if (toast) view.append(el("div", { class: `toast toast-${toast.kind}`, "data-toast": c.chat_id }, toast.text));
  if (c.chat_status === "normal") view.append(composer(c));
  return view;
}

// The member chosen to act in a chat (writing and clicking).
function actingMember(chatId) {
  const pick = document.querySelector(`[data-compose-user='${chatId}']`);
  return pick ? pick.value : "";
}

function composer(c) {
  const users = c.members.filter((m) => m.kind === "user");
  const who = el("select", { "data-compose-user": c.chat_id, title: "write and click as" },
    ...users.map((u) => el("option", { value: u.id }, u.name)));
  const text = el("input", { "data-compose-text": c.chat_id, placeholder: "message (@Name mentions)" });
  const go = el("button", { type: "submit", class: "compose-send" }, "send");
  const form = el("form", { class: "composer", "data-compose": c.chat_id }, who, text, go);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!text.value.trim()) return;
    const action = { action: "user_sends_message", chat: c.chat_id, user: who.value, text: text.value };
    text.value = "";
    send(action);
  });
  return form;
}

function textOf(v) {
  if (v == null) return "";
  if (typeof v === "string") return v;
  if (typeof v.content === "string") return v.content;
  if (v.text) return textOf(v.text);
  return "";
}

function callbackValue(button) {
  const behavior = (button.behaviors || []).find((b) => b.type === "callback");
  if (behavior) return behavior.value;
  return button.value;
}

function renderCard(card, c, m) {
  const box = el("div", { class: "card", "data-card": m.message_id });
  if (card.type === "template") {
    const data = card.data || {};
    box.append(el("div", { class: "card-header" }, `template ${data.template_id || ""}`),
      el("pre", { class: "card-vars" }, JSON.stringify(data.template_variable || {}, null, 1)));
    return box;
  }
  const header = card.header || {};
  if (header.title) {
    box.append(el("div", { class: `card-header card-${header.template || "default"}` }, textOf(header.title)));
  }
  const elements = (card.body && card.body.elements) || card.elements || [];
  for (const e of elements) box.append(renderElement(e, c, m, null));
  return box;
}

function renderElement(e, c, m, form) {
  switch (e.tag) {
    case "button": {
      const b = el("button", { type: "button", class: `card-button ${e.type || "default"}` }, textOf(e.text) || "button");
      b.addEventListener("click", () => clickCard(c, m, e, form));
      return b;
    }
    case "input":
      return el("input", { class: "card-input", "data-name": e.name || "", placeholder: textOf(e.placeholder) || e.name || "" });
    case "form": {
      const f = el("div", { class: "card-form" });
      for (const inner of e.elements || []) f.append(renderElement(inner, c, m, f));
      return f;
    }
    case "hr":
      return el("hr", {});
    case "column_set":
      return el("div", { class: "card-row" }, ...(e.columns || []).flatMap((col) =>
        (col.elements || []).map((inner) => renderElement(inner, c, m, form))));
    case "action":
      return el("div", { class: "card-row" }, ...(e.actions || []).map((inner) => renderElement(inner, c, m, form)));
    case "collapsible_panel":
      return el("div", {}, ...(e.elements || []).map((inner) => renderElement(inner, c, m, form)));
    default:
      return el("div", { class: "card-text" }, textOf(e) || e.tag || "");
  }
}

async function clickCard(c, m, button, form) {
  const action = { action: "user_clicks_card", message: m.message_id, user: actingMember(c.chat_id),
    value: callbackValue(button) ?? {}, tag: "button" };
  if (button.name) action.name = button.name;
  if (form) {
    const values = {};
    form.querySelectorAll("[data-name]").forEach((i) => { values[i.dataset.name] = i.value; });
    action.form_value = values;
  }
  const answer = await fetch("/_emulator/actions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(action),
  });
  const body = await answer.json();
  if (body.code === 0) {
    const out = body.data.card || {};
    if (out.error_code) {
      toasts[c.chat_id] = { kind: "error", text: `error ${out.error_code}: ${out.error}` };
    } else if (out.toast) {
      toasts[c.chat_id] = { kind: out.toast.type || "info", text: out.toast.content || JSON.stringify(out.toast.i18n || {}) };
    } else {
      toasts[c.chat_id] = { kind: "info", text: "(no toast)" };
    }
    report(`user_clicks_card: ${toasts[c.chat_id].text}${out.card_replaced ? " · card replaced" : ""}`, !!out.error_code);
  } else {
    report(`user_clicks_card refused: ${body.code} ${body.msg}`, true);
  }
  lastState = "";
  await refresh();
}

function statusText(d) {
  if (d.status === "retrying") {
    return `${d.receiver}: retrying at ${new Date(d.next_attempt_ms).toLocaleTimeString()} (${d.attempts} attempts)`;
  }
  if (d.status === "failed") return `${d.receiver}: failed (${d.error})`;
  if (d.status === "not_delivered") return `not delivered: ${d.reason}`;
  return `${d.receiver}: delivered${d.attempts > 1 ? ` (${d.attempts}×)` : ""}`;
}

function renderEvents(events) {
  const rows = events.slice().reverse().map((e) => {
    const status = el("td", { class: "status" });
    if (e.deliveries.length === 0) {
      status.append(el("div", { class: "status-none" }, "no receiver"));
    }
    for (const d of e.deliveries) {
      status.append(el("div", { class: `status-${d.status}`, "data-receiver": d.receiver }, statusText(d)));
    }
    const again = el("button", { type: "button", class: "redeliver" }, "redeliver");
    again.addEventListener("click", () => redeliver(e.event_id));
    const body = el("details", {}, el("summary", {}, e.event_type),
      el("pre", {}, JSON.stringify(e.body, null, 2)));
    return el("tr", { "data-event": e.event_id, "data-type": e.event_type },
      el("td", {}, new Date(e.logged_ms).toLocaleTimeString()),
      el("td", { class: "type" }, body),
      el("td", {}, e.app_id), status, el("td", {}, again));
  });
  $("#events tbody").replaceChildren(...rows);
}

async function getData(path) {
  const answer = await fetch(path, { cache: "no-store" });
  const body = await answer.json();
  if (body.code !== 0) throw new Error(`${body.code}: ${body.msg}`);
  return body.data;
}

async function refresh() {
  try {
    const state = await getData("/_emulator/state");
    const text = JSON.stringify(state);
    if (text !== lastState) { lastState = text; renderState(state); renderLongConnectionApps(state); }
    const log = await getData("/_emulator/events");
    const events = JSON.stringify(log.events);
    if (events !== lastEvents) { lastEvents = events; renderEvents(log.events); }
  } catch (e) {
    $("#summary").textContent = `cannot reach the emulator: ${e.message}`;
  }
}

function report(text, error) {
  const out = $("#result");
  out.textContent = text;
  out.className = error ? "error" : "";
}

async function send(action) {
  const answer = await fetch("/_emulator/actions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(action),
  });
  const body = await answer.json();
  if (body.code === 0) {
    const types = body.data.events.map((e) => (e.header && e.header.event_type) || (e.event && e.event.type));
    report(`${action.action}: ${types.length} event(s) ${types.join(", ")}`, false);
  } else {
    const why = body.error && body.error.message ? ` (${body.error.message})` : "";
    report(`${action.action} refused: ${body.code} ${body.msg}${why}`, true);
  }
  await refresh();
}

async function redeliver(id) {
  const answer = await fetch(`/_emulator/events/${encodeURIComponent(id)}/redeliver`, { method: "POST" });
  const body = await answer.json();
  report(body.code === 0 ? `redelivered ${id}` : `redeliver refused: ${body.msg}`, body.code !== 0);
  await refresh();
}

function renderLongConnectionApps(state) {
  const select = $("#lc-app");
  const chosen = select.value;
  select.replaceChildren(...state.apps.map((a) => el("option", { value: a.app_id }, a.app_id)));
  if (chosen) select.value = chosen;
}

async function longConnection(what) {
  const app = $("#lc-app").value;
  const answer = await fetch(`/_emulator/long_connection/${encodeURIComponent(app)}/${what}`, { method: "POST" });
  const body = await answer.json();
  report(body.code === 0 ? `${what}: ${body.data.connections} connection(s) of ${app}` : `${what} refused: ${body.msg}`,
    body.code !== 0);
}

function formAction() {
  const name = $("#action").value;
  const action = { action: name };
  const fields = FIELDS[name] || [];
  for (const f of ["user", "chat", "bot", "new_owner", "text", "message", "emoji_type"]) {
    if (fields.includes(f)) action[f] = $(`#${f}`).value;
  }
  for (const f of ["users", "bots"]) {
    if (fields.includes(f)) action[f] = Array.from($(`#${f}`).selectedOptions).map((o) => o.value);
  }
  if (name === "update_chat") {
    const changes = {};
    for (const f of CHANGES) {
      const v = $(`#${f}`).value;
      if (v !== "") changes[f] = v;
    }
    action.changes = changes;
  }
  return action;
}

$("#lc-silence").addEventListener("click", () => longConnection("silence"));
$("#lc-close").addEventListener("click", () => longConnection("close"));
$("#action").addEventListener("change", showFields);
$("#act-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  send(formAction());
});
showFields();
refresh();
setInterval(refresh, 1000);
