// A fake `hass` for the panel: the websocket contract of
// custom_components/raadhus_alarm/websocket_api.py, served from memory, and
// the attendance-ban services through Home Assistant's call_service.
import "../../custom_components/raadhus_alarm/frontend/raadhus-alarm-panel.js";

const params = new URLSearchParams(location.search);
const lang = params.get("lang") || "da";
const scenario = params.get("scenario") || "idle";
const USER = lang === "da" ? "Betjent Bo" : "Officer Bo";

const minutesAgo = (m) => new Date(Date.now() - m * 60000).toISOString();
// `m` minutes ago, or now if that was yesterday in the panel's time zone: the
// panel shows the last closed incident only when it was today (a test run at
// 00:20 in Copenhagen must pass too).
const earlierToday = (m) => {
  const day = (t) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen" }).format(t);
  const now = Date.now();
  const at = now - m * 60000;
  return new Date(day(at) === day(now) ? at : now).toISOString();
};
const daysAgo = (d, h = 0) => new Date(Date.now() - (d * 24 + h) * 3600000).toISOString();
const button = (id, name, problem = null) => ({ id, name, problem });
// Who is looking: the permission table's answer for the panel's buttons
// (permissions.py): officers act, resolve and cancel; leaders also debrief.
// Attendance bans are written by leaders and the centre chief only.
const ROLES = {
  officer: { can_act: true, can_resolve: true, can_cancel: true, can_debrief: false, can_write_bans: false },
  leader: { can_act: true, can_resolve: true, can_cancel: true, can_debrief: true, can_write_bans: true },
  none: { can_act: false, can_resolve: false, can_cancel: false, can_debrief: false, can_write_bans: false },
};
const role = params.get("can_act") === "0" ? "none" : params.get("role") || "officer";
const room = (id, name, kind, camera, buttons) => ({
  id, name, kind, state: "idle", camera, incident: null, last: null, buttons, monitored: false, meeting: null,
});

function world() {
  const state = {
    town_hall: "Demo Rådhus",
    officers_on_duty: true,
    police_present: false,
    on_duty: ["Betjent Bo", "Betjent Birte"],
    ...ROLES[role],
    history_days: 30,
    rooms: [
      room("r1", "Kontaktrum 1", "contact_room", "camera.kontaktrum_1", [button("b1", "Knap under bordet")]),
      room("r2", "Kontaktrum 2", "contact_room", "camera.kontaktrum_2", [button("b2", "Knap ved døren")]),
      room("r3", "Akutrum 1", "emergency_room", "camera.akutrum_1", [button("b3", "Knap")]),
      room("r4", "Akutrum 2", "emergency_room", "camera.akutrum_2", [button("b4", "Knap")]),
      room("r5", "Venteområde", "waiting_area", "camera.venteomrade", [button("b5", "SOS-knap")]),
    ],
    meetings: [],
    bans: [], // derived from mock.bans on every push (see snapshot)
  };
  const [k1, k2, a1, a2, w] = state.rooms;
  if (scenario === "alarm" || scenario === "all") {
    k1.state = "triggered";
    k1.incident = incident("i1", "triggered", minutesAgo(0.2), { raised_by: "Knap under bordet" });
  }
  if (scenario === "all") {
    state.police_present = true;
    k2.state = "acknowledged";
    k2.incident = incident("i2", "acknowledged", minutesAgo(3), {
      raised_by: "Knap ved døren", acknowledged_by: "Betjent Birte", joins: 2,
    });
    a1.state = "on_scene";
    a1.incident = incident("i3", "on_scene", minutesAgo(9), {
      raised_by: "Knap", acknowledged_by: "Betjent Bo", on_scene_by: "Betjent Birte", drill: true,
    });
    a2.last = { id: "h0", state: "resolved", at: earlierToday(42), by: "Betjent Bo", resolution: "citizen_left", drill: false };
    a2.buttons = [button("b4", "Knap", "low_battery")];
    w.buttons = [button("b5", "SOS-knap", "unavailable")];
    // As panel_meetings sends them: a monitored meeting running in the
    // waiting area, one announced for later in Kontaktrum 2.
    state.meetings = [
      meetingRow("m1", w, minutesAgo(10), minutesAgo(-50), { monitored: true, active: true }),
      meetingRow("m2", k2, minutesAgo(-120), minutesAgo(-180), { announced_by: "Leder Lis" }),
    ];
    w.monitored = true;
    w.meeting = state.meetings[0];
  }
  if (params.get("escalated") === "1" && k1.incident) {
    // Nobody acknowledged: sent again twice, widened, one leader unreachable.
    k1.incident.since = minutesAgo(1.1);
    Object.assign(k1.incident, {
      repeated: 2, widened_to: ["Centerchef Carl", "Vagt Villy"], unreachable: ["Leder Lis"],
    });
  }
  return state;
}

/** Closed incidents of the last weeks (newest first), as raadhus_alarm/history rows. */
function past() {
  const row = (id, roomId, roomName, state, since, extra) => ({
    id, room_id: roomId, room_name: roomName, state, drill: false, since, updated_at: since,
    raised_by: "Knap", acknowledged_by: "Betjent Birte", on_scene_by: null, closed_by: "Betjent Birte",
    closed_at: since, resolution: null, note: null, debriefed_by: null, joins: 0, repeated: 0, ...extra,
  });
  return [
    row("h0", "r4", "Akutrum 2", "resolved", earlierToday(42), {
      acknowledged_by: "Betjent Bo", closed_by: "Betjent Bo", resolution: "citizen_left",
    }),
    row("h1", "r2", "Kontaktrum 2", "resolved", daysAgo(1), { resolution: "police_called", note: "Patruljen kom 14:20" }),
    row("h2", "r3", "Akutrum 1", "resolved", daysAgo(3), { drill: true, resolution: "other", note: "Halvårlig øvelse" }),
    row("h3", "r1", "Kontaktrum 1", "cancelled", daysAgo(6), { acknowledged_by: null, note: "Fejltryk" }),
    row("h4", "r2", "Kontaktrum 2", "debriefed", daysAgo(12), {
      resolution: "citizen_left", debriefed_by: "Leder Lis", repeated: 1,
    }),
    row("h5", "r5", "Venteområde", "resolved", daysAgo(20), { drill: true, resolution: "citizen_left" }),
  ];
}

/**
 * The stored attendance bans (R8), as bans.py keeps them: active, one not
 * begun yet and one ended early (neither of those two is in the state).
 * bans=0 in the URL: none at all.
 */
function storedBans() {
  if (params.get("bans") === "0") return [];
  const today = dayOf(new Date());
  const at = (days, time) => localIso(addDays(today, days), time);
  return [
    banRecord("ban1", "2025-0412", "Jobcenter", at(-170, "09:00"), at(12, "09:00"), {
      issued_by: "Leder Lis", issued_by_person: "person.lis", letter_filed: true, note: "Truede en medarbejder i receptionen",
    }),
    banRecord("ban2", "2026-0877", "Borgerservice", at(-20, "13:30"), at(45, "13:30"), { issued_by: "Centerchef Carl", issued_by_person: "person.carl" }),
    banRecord("ban3", "2026-1031", "Ydelsescenter", at(-3, "00:00"), at(160, "00:00"), {
      issued_by: "Leder Lis", issued_by_person: "person.lis", letter_filed: true, note: "Kun adgang efter aftale",
    }),
    banRecord("ban4", "2026-1200", "Jobcenter", at(10, "00:00"), at(190, "00:00"), { issued_by: "Leder Lis" }),
    banRecord("ban5", "2025-0999", "Borgerservice", at(-100, "10:00"), at(80, "10:00"), {
      issued_by: "Leder Lis", ended_early: true, changed_at: at(-2, "11:00"),
    }),
  ];
}

function banRecord(id, caseReference, centre, start, end, extra) {
  return {
    id, case_reference: caseReference, centre, start, end, issued_by: USER, issued_by_person: "person.bo",
    letter_filed: false, note: "", ended_early: false, changed_at: null, ...extra,
  };
}

function meetingRow(id, r, start, end, extra) {
  return {
    id, room_id: r.id, room_name: r.name, start, end, monitored: false, announced_by: "Sagsbehandler Sara",
    active: false, ...extra,
  };
}

function incident(id, state, since, extra) {
  return {
    id, state, since, raised_by: null, acknowledged_by: null, on_scene_by: null,
    drill: false, joins: 0, repeated: 0, widened_to: [], unreachable: [], ...extra,
  };
}

const subscribers = new Set();
const readyListeners = new Set();
const mock = {
  state: world(),
  past: past(),
  calls: [],
  failNext: null, // {code, message} for the next command (act, call_service, ...)
  bans: [], // every stored attendance ban (set below); the state lists the active ones
  push() {
    const copy = snapshot();
    for (const cb of subscribers) cb(copy);
  },
  room(name) {
    return mock.state.rooms.find((r) => r.name === name);
  },
  /** Raise an alarm in a room, as a button would. */
  trigger(name) {
    const r = mock.room(name);
    r.state = "triggered";
    r.incident = incident(`i-${Date.now()}`, "triggered", new Date().toISOString(), { raised_by: "Knap" });
    mock.push();
  },
  setConnected(value) {
    panel.hass = { ...panel.hass, connected: value };
  },
  meetings: [], // every meeting announced in the harness (today's are in state.meetings)
  /** A meeting starts or ends, as the server's meeting desk pushes it. */
  begin(id) {
    runMeeting(id, true);
  },
  end(id) {
    runMeeting(id, false);
  },
  loaded: params.get("loaded") !== "0",
  subscribers,
  /** A websocket reconnect; `lost`: the library's own resubscription failed. */
  reconnect(lost) {
    if (lost) subscribers.clear();
    for (const cb of readyListeners) cb(hass.connection, null);
    if (!lost) mock.push();
  },
};
window.mock = mock;

/**
 * The state as panel_state sends it: the active bans, soonest ending first,
 * with the note only for users who may write bans (null for the others).
 */
function snapshot() {
  const copy = JSON.parse(JSON.stringify(mock.state));
  const now = Date.now();
  copy.bans = mock.bans
    .filter((b) => !b.ended_early && Date.parse(b.start) <= now && now < Date.parse(b.end))
    .sort((a, b) => Date.parse(a.end) - Date.parse(b.end) || (a.id < b.id ? -1 : 1))
    .map((b) => banRow(b, copy.can_write_bans));
  return copy;
}

/** A ban as the state and the services' responses give it (ban_services.ban_row). */
function banRow(b, withNote) {
  const now = Date.now();
  return JSON.parse(JSON.stringify({
    id: b.id, case_reference: b.case_reference, centre: b.centre, start: b.start, end: b.end,
    issued_by: b.issued_by, issued_by_person: b.issued_by_person, letter_filed: b.letter_filed,
    active: !b.ended_early && Date.parse(b.start) <= now && now < Date.parse(b.end), ended_early: b.ended_early,
    note: withNote ? b.note : null,
  }));
}

const STEP = {
  acknowledge: "acknowledged", on_scene: "on_scene", resolve: "resolved", cancel: "cancelled", debriefed: "debriefed",
};
const MAY = {
  acknowledge: "can_act", on_scene: "can_act", resolve: "can_resolve", cancel: "can_cancel", debriefed: "can_debrief",
};

/** raadhus_alarm/history: open incidents and the past, newest first. */
function history(message) {
  const days = message.days === undefined ? 30 : message.days;
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    throw { code: "invalid_days", message: `The history covers 1 to 30 days; ${days} is not a number of days in that range` };
  }
  const roomId = message.room_id === undefined ? null : message.room_id;
  if (roomId !== null && !mock.state.rooms.some((r) => r.id === roomId)) {
    throw { code: "unknown_room", message: `There is no room called ${roomId}` };
  }
  const cutoff = Date.now() - days * 24 * 3600000;
  const open = mock.state.rooms
    .filter((r) => r.incident)
    .map((r) => ({
      ...r.incident, room_id: r.id, room_name: r.name, updated_at: r.incident.since, closed_by: null,
      closed_at: null, resolution: null, note: null, debriefed_by: null,
    }));
  const rows = [...open, ...mock.past]
    .filter((row) => roomId === null || row.room_id === roomId)
    .filter((row) => open.includes(row) || new Date(row.updated_at).getTime() >= cutoff)
    .sort((a, b) => (a.since < b.since ? 1 : -1));
  return JSON.parse(JSON.stringify({ days, room_id: roomId, incidents: rows, truncated: false }));
}

// The test world's schedules (tests/world.py), by weekday (0 = Sunday), in
// the town hall's wall time.
const OFFICER_HOURS = { 1: ["07:30", "18:00"], 2: ["07:30", "16:00"], 3: ["07:30", "16:00"], 4: ["07:30", "16:00"], 5: ["07:30", "13:00"] };
const POLICE_HOURS = { 1: ["15:30", "16:30"] };
const ZONE = "Europe/Copenhagen";
const dayOf = (t) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(t);

/** "2026-11-27T14:00" (the form's wall time) as {date, time}; refused as the server refuses it. */
function wallTime(value) {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(String(value));
  if (!match) throw { code: "meeting_time_invalid", message: `${value} is not a usable date and time for the meeting` };
  return { date: match[1], time: match[2] };
}

const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay();
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

/** The wall time as local ISO with Copenhagen's offset, as the server sends times. */
function localIso(date, time) {
  const offset = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, timeZoneName: "longOffset" })
    .formatToParts(new Date(`${date}T${time}:00Z`))
    .find((part) => part.type === "timeZoneName")
    .value.replace("GMT", "") || "+00:00";
  return `${date}T${time}:00${offset}`;
}

/** The meeting commands' checks (meeting_desk.py, panel_meetings.py), in short. */
function draft(message) {
  const r = mock.state.rooms.find((x) => x.id === message.room_id);
  if (!r) throw { code: "unknown_room", message: `There is no room called ${message.room_id}` };
  const start = wallTime(message.start);
  const end = wallTime(message.end);
  if (`${end.date}T${end.time}` <= `${start.date}T${start.time}`) {
    throw { code: "meeting_ends_before_it_starts", message: "The meeting must end after it starts" };
  }
  return { room: r, start, end };
}

/** The warnings: outside the officers' hours (the police's next slot), overlaps. */
function warnings(d) {
  const found = [];
  const hours = OFFICER_HOURS[weekday(d.start.date)];
  const inside = hours && d.start.date === d.end.date && hours[0] <= d.start.time && d.end.time <= hours[1];
  if (!inside) {
    const police = POLICE_HOURS[weekday(d.start.date)];
    const present = police && d.start.date === d.end.date && police[0] <= d.start.time && d.end.time <= police[1];
    let suggestion = null;
    for (let n = 0; !present && !suggestion && n < 14; n += 1) {
      const day = addDays(d.start.date, n);
      const slot = POLICE_HOURS[weekday(day)];
      if (slot && (n > 0 || slot[0] > d.start.time)) suggestion = localIso(day, slot[0]);
    }
    found.push({ key: "outside_officer_hours", suggestion, police_present: Boolean(present), other_meeting_id: null, other: null });
  }
  const start = localIso(d.start.date, d.start.time);
  const end = localIso(d.end.date, d.end.time);
  for (const other of mock.meetings) {
    if (other.room_id === d.room.id && Date.parse(other.start) < Date.parse(end) && Date.parse(start) < Date.parse(other.end)) {
      found.push({ key: "overlap", suggestion: null, police_present: false, other_meeting_id: other.id, other });
    }
  }
  return found;
}

function announce(message) {
  const d = draft(message);
  if (/(?<![0-9])[0-3][0-9][01][0-9][0-9]{2}[-\s]?[0-9]{4}(?![0-9])/.test(message.note || "")) {
    throw { code: "cpr_refused", message: "The text contains what looks like a CPR number" };
  }
  const found = warnings(d);
  const row = meetingRow(`m-${mock.meetings.length + 1}`, d.room, localIso(d.start.date, d.start.time), localIso(d.end.date, d.end.time), {
    monitored: Boolean(message.monitored), announced_by: USER,
  });
  mock.meetings.push(row);
  const today = dayOf(new Date());
  mock.state.meetings = mock.meetings
    .filter((m) => dayOf(new Date(m.start)) === today)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  setTimeout(() => mock.push(), 10);
  return { meeting_id: row.id, meeting: row, warnings: found };
}

function runMeeting(id, active) {
  const row = mock.meetings.find((m) => m.id === id);
  row.active = active;
  const r = mock.room(row.room_name);
  r.meeting = active ? row : null;
  r.monitored = active && row.monitored;
  mock.push();
}

/** raadhus_alarm/act: the server's gate and lifecycle, in short. */
function act(message) {
  const next = STEP[message.action];
  if (!mock.state[MAY[message.action]]) throw { code: "not_permitted", message: "Your role does not allow this" };
  if (message.action === "resolve" && !message.resolution) {
    throw { code: "resolution_required", message: "Say how the alarm ended" };
  }
  const r = mock.state.rooms.find((x) => x.incident && x.incident.id === message.incident_id);
  if (!r) {
    const row = mock.past.find((x) => x.id === message.incident_id);
    if (!row) throw { code: "unknown_incident", message: "No such incident" };
    if (!(message.action === "debriefed" && row.state === "resolved")) {
      throw { code: "invalid_transition", message: "Not from this state" };
    }
    row.state = "debriefed";
    row.debriefed_by = USER;
    for (const room of mock.state.rooms) {
      if (room.last && room.last.id === row.id) Object.assign(room.last, { state: "debriefed", by: USER });
    }
  } else if (next === "resolved" || next === "cancelled") {
    const now = new Date().toISOString();
    mock.past.unshift({
      ...r.incident, state: next, room_id: r.id, room_name: r.name, updated_at: now, closed_by: USER,
      closed_at: now, resolution: message.resolution || null, note: message.note || null, debriefed_by: null,
    });
    r.last = { id: r.incident.id, state: next, at: now, by: USER, resolution: message.resolution || null, drill: r.incident.drill };
    r.incident = null;
    r.state = "idle";
  } else if (next === "debriefed") {
    throw { code: "invalid_transition", message: "An open alarm is not debriefed" };
  } else {
    r.state = next;
    r.incident.state = next;
    if (next === "acknowledged") r.incident.acknowledged_by = USER;
    if (next === "on_scene") r.incident.on_scene_by = USER;
  }
  setTimeout(() => mock.push(), 10);
  return { state: next };
}

// -- attendance bans (R8): Home Assistant's call_service, as the logged-in user --

// The integration's translations: what Home Assistant words its refusals
// from (in English on the websocket), and what the frontend's localize
// reads in the user's language.
const translations = Promise.all(
  ["da", "en"].map((l) =>
    fetch(`../../custom_components/raadhus_alarm/translations/${l}.json`)
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({})),
  ),
).then(([da, en]) => ({ da, en }));
function messageOf(texts, language, key) {
  const file = texts[language] || {};
  const found = file.exceptions && file.exceptions[key];
  return (found && found.message) || null;
}
// The services' schemas (ban_services.py): the fields each takes.
const BAN_FIELDS = {
  add_ban: ["case_reference", "centre", "start", "end", "note", "letter_filed", "issued_by"],
  update_ban: ["ban_id", "case_reference", "centre", "start", "end", "note", "letter_filed", "issued_by"],
  end_ban: ["ban_id"],
  remove_ban: ["ban_id"],
};
// What the harness's brief takes for a CPR number (the server's own test,
// meetings.contains_cpr, also checks that it is a date).
const CPR = /\b\d{6}-?\d{4}\b/;

/**
 * A ServiceValidationError as Home Assistant's websocket call_service sends
 * it: "Validation error: " and the English message (without its full stop),
 * and the translation key for the frontend to put in the user's language.
 */
async function refusal(key, placeholders = {}) {
  const texts = await translations;
  const english = (messageOf(texts, "en", key) || key)
    .replace(/\.$/, "")
    .replace(/\{(\w+)\}/g, (_, name) => String(placeholders[name] ?? ""));
  return {
    code: "service_validation_error",
    message: `Validation error: ${english}`,
    translation_domain: "raadhus_alarm",
    translation_key: key,
    translation_placeholders: placeholders,
  };
}

/** The schema's error (probatio.Invalid): code invalid_format. */
function invalid(message) {
  return { code: "invalid_format", message };
}

/** "2026-11-23" (its midnight) or "2026-11-23T14:00", the town hall's wall time, as local ISO. */
function banTime(value, key) {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2})?)?$/.exec(String(value));
  if (!match || Number.isNaN(Date.parse(`${match[1]}T00:00:00Z`))) {
    throw invalid(`Invalid datetime specified: ${value} for dictionary value @ data['${key}']`);
  }
  return localIso(match[1], match[2] || "00:00");
}

/** Six calendar months on, the same wall time, the day clamped (bans.add_months). */
function sixMonthsOn(iso) {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  const month = m - 1 + 6;
  const year = y + Math.floor(month / 12);
  const last = new Date(Date.UTC(year, (month % 12) + 1, 0)).getUTCDate();
  const date = `${year}-${String((month % 12) + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
  return localIso(date, iso.slice(11, 16));
}

/** The ban desk's checks of a ban to store (ban_desk._checked), in its order. */
async function checked(ban, now) {
  if (Date.parse(ban.end) <= Date.parse(ban.start)) throw await refusal("ban_ends_before_it_starts");
  if (["case_reference", "centre", "note"].some((key) => CPR.test(ban[key] || ""))) throw await refusal("cpr_refused");
  for (const field of ["case_reference", "centre"]) {
    if (!ban[field]) throw await refusal(`ban_needs_${field}`, {});
  }
  if (Date.parse(ban.end) <= now) throw await refusal("ban_in_the_past");
  return ban;
}

/** The ban services (ban_services.py through ban_desk.py), in short. */
async function callService(message) {
  const { domain, service } = message;
  const data = message.service_data || {};
  if (domain !== "raadhus_alarm" || !BAN_FIELDS[service]) {
    throw { code: "not_found", message: `Service ${domain}.${service} not found.` };
  }
  // The schema first (Home Assistant checks it before the action runs) ...
  const extra = Object.keys(data).find((key) => !BAN_FIELDS[service].includes(key));
  if (extra) throw invalid(`extra keys not allowed @ data['${extra}']`);
  for (const key of service === "add_ban" ? ["case_reference", "centre"] : ["ban_id"]) {
    if (data[key] === undefined) throw invalid(`required key not provided @ data['${key}']`);
  }
  const times = {};
  for (const key of ["start", "end"]) if (data[key] !== undefined) times[key] = banTime(data[key], key);
  // ... then the one permission gate, before any input is looked at.
  if (!mock.state.can_write_bans) throw await refusal("not_permitted", { action: service });
  const now = Date.now();
  const nowIso = localIso(
    dayOf(new Date(now)),
    new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(now),
  );
  const text = (value) => String(value ?? "").trim();
  let ban;
  if (service === "add_ban") {
    const start = times.start || nowIso;
    ban = await checked(
      banRecord(`ban-${mock.bans.length + 1}`, text(data.case_reference), text(data.centre), start, times.end || sixMonthsOn(start), {
        note: text(data.note), letter_filed: Boolean(data.letter_filed),
      }),
      now,
    );
    mock.bans.push(ban);
  } else {
    ban = mock.bans.find((b) => b.id === data.ban_id);
    if (!ban) throw await refusal("unknown_ban", { ban: data.ban_id });
    if (service === "remove_ban") {
      mock.bans = mock.bans.filter((b) => b !== ban);
    } else if (ban.ended_early || Date.parse(ban.end) <= now) {
      throw await refusal("ban_has_ended");
    } else if (service === "end_ban") {
      Object.assign(ban, { ended_early: true, changed_at: nowIso });
    } else {
      const change = { ...times };
      for (const key of ["case_reference", "centre", "note"]) if (data[key] !== undefined) change[key] = text(data[key]);
      if (data.letter_filed !== undefined) change.letter_filed = Boolean(data.letter_filed);
      Object.assign(ban, await checked({ ...ban, ...change }, now), { changed_at: nowIso });
    }
  }
  setTimeout(() => mock.push(), 10);
  const result = { context: { id: `ctx-${mock.calls.length}`, parent_id: null, user_id: "user-bo" } };
  if (message.return_response) result.response = { ban: banRow(ban, true) };
  return result;
}

mock.bans = storedBans();

const hass = {
  language: lang,
  locale: { language: lang },
  connected: params.get("connected") !== "0",
  config: { time_zone: "Europe/Copenhagen" },
  user: { name: USER, is_admin: false },
  states: Object.fromEntries(
    mock.state.rooms.map((r) => [r.camera, { entity_id: r.camera, state: "idle", attributes: { access_token: `tok-${r.id}` } }]),
  ),
  connection: {
    async subscribeMessage(callback, message) {
      if (message.type !== "raadhus_alarm/subscribe") throw { code: "unknown_command", message: "Unknown command." };
      if (!mock.loaded) throw { code: "not_loaded", message: "The town hall is not loaded" };
      subscribers.add(callback);
      queueMicrotask(() => callback(snapshot()));
      return async () => subscribers.delete(callback);
    },
    addEventListener(type, callback) {
      if (type === "ready") readyListeners.add(callback);
    },
    removeEventListener(type, callback) {
      if (type === "ready") readyListeners.delete(callback);
    },
  },
  /** Home Assistant's frontend: the integration's translated texts (see EXCEPTIONS). */
  async loadBackendTranslation(category, integration) {
    const texts = await translations;
    return (key, values = {}) => {
      const match = /^component\.([^.]+)\.([^.]+)\.([^.]+)\.message$/.exec(key);
      const text = match && match[1] === integration && match[2] === category ? messageOf(texts, lang, match[3]) : null;
      return text ? text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? "")) : "";
    };
  },
  async callWS(message) {
    mock.calls.push(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (mock.failNext) {
      const error = mock.failNext;
      mock.failNext = null;
      throw error;
    }
    if (message.type === "raadhus_alarm/history") return history(message);
    if (message.type === "raadhus_alarm/meeting_preview") return JSON.parse(JSON.stringify({ warnings: warnings(draft(message)) }));
    if (message.type === "raadhus_alarm/announce_meeting") return JSON.parse(JSON.stringify(announce(message)));
    if (message.type === "call_service") return JSON.parse(JSON.stringify(await callService(message)));
    return act(message);
  },
};

const panel = document.createElement("raadhus-alarm-panel");
panel.hass = hass;
panel.narrow = params.get("narrow") === "1";
panel.panel = { url_path: "raadhus-alarm" };
document.body.appendChild(panel);
window.panel = panel;
