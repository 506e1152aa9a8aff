// A fake `hass` for the panel: the websocket contract of
// custom_components/raadhus_alarm/websocket_api.py (and panel_statistics.py),
// served from memory; the attendance-ban, follow-up and keep_evidence
// services through Home Assistant's call_service; auth/sign_path as Home
// Assistant answers it (the path with ?authSig=…).
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
// Attendance bans are written by leaders and the centre chief only; they
// also tick the follow-up off (R6). Evidence: leaders, the centre chief and
// the security coordinator; the log's export: leaders, the centre chief and
// the safety organisation.
const NOTHING = {
  can_act: false, can_resolve: false, can_cancel: false, can_debrief: false, can_write_bans: false,
  can_follow_up: false, can_view_evidence: false, can_export: false,
};
const ROLES = {
  officer: { ...NOTHING, can_act: true, can_resolve: true, can_cancel: true },
  leader: {
    can_act: true, can_resolve: true, can_cancel: true, can_debrief: true, can_write_bans: true,
    can_follow_up: true, can_view_evidence: true, can_export: true,
  },
  security: { ...NOTHING, can_view_evidence: true },
  safety: { ...NOTHING, can_export: true },
  none: NOTHING,
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

// -- after the incident (R6): checklists, evidence; the statistics ----------------

// The checklist's items, in the server's order (checklist.Item).
const FOLLOWUP_ITEMS = [
  "debrief", "crisis_help_offered", "relatives_contacted", "police_report", "safety_organisation_told",
  "work_accident_report", "video_requested",
];
// The crisis line a new checklist keeps, and the one an older checklist
// kept (the checklist shows what held then); the municipality's CVR.
const CRISIS_LINE = { name: "Krisepsykologisk Vagt", phone: "70 10 20 30" };
const OLD_CRISIS_LINE = { name: "Psykologhjælp Syd", phone: "+45 33 44 55 66" };
const CVR = "12345678";
// The persons in Home Assistant (hass.states): the debrief's candidates.
const PERSONS = {
  "person.bo": USER,
  "person.birte": "Betjent Birte",
  "person.lis": "Leder Lis",
  "person.carl": "Centerchef Carl",
  "person.sara": "Sagsbehandler Sara",
  "person.villy": "Vagt Villy",
};

/** A stored checklist (checklist.Checklist): ticks by item, each {done, at, by, persons (entity ids)}. */
function checklistRecord(incidentId, resolvedAt, extra) {
  return {
    incident_id: incidentId, resolved_at: resolvedAt, crisis_line: { ...CRISIS_LINE }, cvr: CVR, off_duty: false,
    ticks: {}, ...extra,
  };
}

/**
 * The world's checklists: h4 (debriefed twelve days ago, the crisis line of
 * then, most items still open: overdue). A resolved real alarm gets one (see
 * act). h0 and h1 have none here: the older tests mark them debriefed from
 * the tile and the history as before, which the server refuses while a
 * checklist's debrief is open.
 */
function storedChecklists() {
  return [
    checklistRecord("h4", daysAgo(12), {
      crisis_line: { ...OLD_CRISIS_LINE },
      ticks: {
        debrief: { done: true, at: daysAgo(11, 20), by: "Leder Lis", persons: ["person.birte", "person.sara"] },
        crisis_help_offered: { done: true, at: daysAgo(11, 21), by: "Leder Lis", persons: [] },
      },
    }),
  ];
}

/** Video evidence by incident (the history's rows carry it for readers). */
function storedEvidence() {
  const file = (incident, name, kind, camera, at) => ({
    name, kind, camera, at, path: `/api/raadhus_alarm/evidence/${incident}/${name}`,
  });
  return {
    h0: { keep: false, files: [file("h0", "snapshot-1.jpg", "snapshot", "camera.akutrum_2", earlierToday(42))] },
    h1: {
      keep: false,
      files: [
        file("h1", "snapshot-1.jpg", "snapshot", "camera.kontaktrum_2", daysAgo(1)),
        file("h1", "snapshot-2.jpg", "snapshot", "camera.kontaktrum_2", daysAgo(1, -1 / 60)),
        file("h1", "clip-1.mp4", "clip", "camera.kontaktrum_2", daysAgo(1)),
      ],
    },
    h4: { keep: true, files: [file("h4", "snapshot-1.jpg", "snapshot", "camera.kontaktrum_2", daysAgo(12))] },
  };
}

/**
 * raadhus_alarm/statistics as statistics.report gives it: the 12 months up
 * to this one (oldest first; real alarms), the last 30 days and its drills.
 * A month with no alarm, or only a false one, has no times (null).
 */
function worldStatistics() {
  const [year, month] = dayOf(new Date()).split("-").map(Number);
  const rows = [
    [2, 0, 58, 90, 170, 240], [4, 1, 75, 150, 200, 330], [0, 0, null, null, null, null], [3, 1, 62, 118, 185, 260],
    [5, 0, 81, 160, 210, 355], [1, 1, null, null, null, null], [6, 2, 70, 132, 190, 301], [2, 0, 49, 66, 160, 212],
    [3, 0, 95, 170, 230, 410], [4, 1, 66, 125, 176, 280], [7, 2, 88, 185, 215, 392], [4, 1, 65, 142, 188, 301],
  ];
  const figures = ([count, cancelled, ackMedian, ackP90, onSceneMedian, onSceneP90]) => ({
    count, cancelled, ack_median: ackMedian, ack_p90: ackP90, on_scene_median: onSceneMedian, on_scene_p90: onSceneP90,
  });
  return {
    months: rows.map((row, i) => {
      const index = year * 12 + month - 1 - (11 - i);
      return { month: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`, ...figures(row) };
    }),
    last_30_days: figures([4, 1, 65, 142, 188, 301]),
    drills_last_30_days: figures([2, 0, 41.5, 58, 130, 152]),
  };
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
  checklists: [], // every follow-up checklist (set below); the state lists the open ones
  evidence: {}, // incident id -> {files, keep} (set below); the history's rows carry it
  statistics: null, // what raadhus_alarm/statistics answers (set below; a test may change it)
  signed: 0, // auth/sign_path answers so far
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
  copy.followups = copy.can_follow_up ? followupRows() : [];
  return copy;
}

// -- follow-up (R6): the checklists as followup_services gives them --------------

const checklistOf = (id) => mock.checklists.find((c) => c.incident_id === id) || null;
const pastRow = (id) => mock.past.find((row) => row.id === id) || null;
const applies = (c, item) => c.off_duty || item !== "work_accident_report";
const complete = (c) => FOLLOWUP_ITEMS.every((item) => !applies(c, item) || (c.ticks[item] && c.ticks[item].done));

/** Three working days (Monday to Friday) after the resolve, at the same time (checklist.due). */
function dueOf(c) {
  let at = Date.parse(c.resolved_at);
  for (let left = 3; left; ) {
    at += 86400000;
    const day = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, weekday: "short" }).format(at);
    if (day !== "Sat" && day !== "Sun") left -= 1;
  }
  return at;
}

/** A checklist as the action returns it (checklist_row): persons by their names. */
function checklistRow(c) {
  return JSON.parse(JSON.stringify({
    incident_id: c.incident_id,
    items: FOLLOWUP_ITEMS.map((key) => {
      const tick = c.ticks[key] || { done: false, at: null, by: null, persons: [] };
      return {
        key, done: Boolean(tick.done), done_at: tick.at || null, done_by: tick.by || null,
        persons: (tick.persons || []).map((p) => PERSONS[p] || p), applies: applies(c, key),
      };
    }),
    complete: complete(c),
  }));
}

/** The open checklists of the last 30 days, newest first (open_followups). */
function followupRows() {
  const now = Date.now();
  return mock.checklists
    .filter((c) => pastRow(c.incident_id) && !complete(c) && now - Date.parse(c.resolved_at) <= 30 * 86400000)
    .sort((a, b) => Date.parse(b.resolved_at) - Date.parse(a.resolved_at))
    .map((c) => {
      const row = pastRow(c.incident_id);
      return {
        ...checklistRow(c), room_name: row.room_name, raised_at: row.since, resolved_at: c.resolved_at, state: row.state,
        crisis_line: { ...c.crisis_line }, cvr: c.cvr, overdue: now >= dueOf(c),
      };
    });
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
    .sort((a, b) => (a.since < b.since ? 1 : -1))
    // Snapshots and clips for those who may see them; null for the others.
    .map((row) => ({ ...row, evidence: mock.state.can_view_evidence ? mock.evidence[row.id] || { files: [], keep: false } : null }));
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

/** "debriefed": on the incident's row and on its room's last incident. */
function markDebriefed(row) {
  row.state = "debriefed";
  row.debriefed_by = USER;
  for (const room of mock.state.rooms) {
    if (room.last && room.last.id === row.id) Object.assign(room.last, { state: "debriefed", by: USER });
  }
}

/** raadhus_alarm/act: the server's gate and lifecycle, in short. */
async function act(message) {
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
    // The follow-up desk's step check: not before the debrief is recorded
    // in the checklist (sent as the websocket sends the integration's
    // refusals: the key as the code, the English text, the translation).
    const c = checklistOf(row.id);
    if (c && !(c.ticks.debrief && c.ticks.debrief.done)) {
      throw await refusal("debrief_not_recorded", { room: row.room_name }, "debrief_not_recorded");
    }
    markDebriefed(row);
  } else if (next === "resolved" || next === "cancelled") {
    const now = new Date().toISOString();
    // A resolved real alarm gets its follow-up checklist (the crisis line of now).
    if (next === "resolved" && !r.incident.drill) mock.checklists.unshift(checklistRecord(r.incident.id, now));
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
// The follow-up's refusals as the backend words them, for as long as the
// translations in the repository do not have them yet (theirs win).
const PENDING_EXCEPTIONS = {
  en: {
    debrief_not_recorded:
      "Record the debrief in the follow-up first (with whom it was held), then mark the alarm in {room} debriefed.",
    no_follow_up: "Incident {incident} has no follow-up (only resolved alarms that were not drills have one).",
    follow_up_item_does_not_apply: "{item} does not apply to this incident.",
    persons_only_for_debrief: "Persons are given only for the debrief item.",
  },
  da: {
    debrief_not_recorded:
      "Registrér først debriefingen i opfølgningen (med hvem den blev holdt); når den krydses af dér, markeres alarmen i {room} også som debriefet.",
    no_follow_up: "Hændelse {incident} har ingen opfølgning (kun løste alarmer, der ikke var øvelser, har en).",
    follow_up_item_does_not_apply: "{item} gælder ikke for denne hændelse.",
    persons_only_for_debrief: "Personer angives kun for punktet debriefing.",
  },
};
function messageOf(texts, language, key) {
  const file = texts[language] || {};
  const found = file.exceptions && file.exceptions[key];
  return (found && found.message) || (PENDING_EXCEPTIONS[language] || {})[key] || null;
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
 * With `code`: as the integration's own commands send it (websocket_helpers.
 * send_error: that code and the English message as it is).
 */
async function refusal(key, placeholders = {}, code = null) {
  const texts = await translations;
  const text = (messageOf(texts, "en", key) || key).replace(/\{(\w+)\}/g, (_, name) => String(placeholders[name] ?? ""));
  const english = text.replace(/\.$/, "");
  return {
    code: code || "service_validation_error",
    message: code ? text : `Validation error: ${english}`,
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

/** "Now" as the server stores it: local ISO with the town hall's offset. */
function localNow() {
  const now = Date.now();
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).format(now);
  const iso = localIso(dayOf(new Date(now)), time.slice(0, 5)); // "…T11:00:00+01:00"
  return `${iso.slice(0, 17)}${time.slice(6, 8)}${iso.slice(19)}`;
}

/** The schema's checks of a service's data (Home Assistant's, before the action runs). */
function schema(data, fields, required) {
  const extra = Object.keys(data).find((key) => !fields.includes(key));
  if (extra) throw invalid(`extra keys not allowed @ data['${extra}']`);
  for (const key of required) {
    if (data[key] === undefined) throw invalid(`required key not provided @ data['${key}']`);
  }
}

function bool(data, key) {
  if (data[key] === undefined) return true; // both actions' default
  if (typeof data[key] !== "boolean") throw invalid(`invalid boolean value ${data[key]} for dictionary value @ data['${key}']`);
  return data[key];
}

/** raadhus_alarm.follow_up (followup_services through followup_desk), in short. */
async function followUp(message) {
  const data = message.service_data || {};
  schema(data, ["incident_id", "item", "done", "persons"], ["incident_id", "item"]);
  if (!FOLLOWUP_ITEMS.includes(data.item)) {
    throw invalid(`value must be one of [${FOLLOWUP_ITEMS.map((i) => `'${i}'`).join(", ")}] for dictionary value @ data['item']`);
  }
  const done = bool(data, "done");
  const persons = data.persons === undefined ? [] : [].concat(data.persons);
  persons.forEach((p, i) => {
    if (!/^person\.\w+$/.test(String(p))) throw invalid(`Entity ID ${p} is an invalid entity ID for dictionary value @ data['persons'][${i}]`);
  });
  if (!mock.state.can_follow_up) throw await refusal("not_permitted", { action: "follow_up" });
  const c = checklistOf(data.incident_id);
  if (!c) throw await refusal("no_follow_up", { incident: data.incident_id });
  if (!applies(c, data.item)) throw await refusal("follow_up_item_does_not_apply", { item: data.item });
  for (const person of persons) if (!hass.states[person]) throw await refusal("unknown_person", { person });
  if (data.item !== "debrief" && persons.length) throw await refusal("persons_only_for_debrief");
  c.ticks[data.item] = { done, at: localNow(), by: USER, persons };
  // Recording the debrief does not move the incident: "debriefed" is the
  // leader's own step (followup_desk), allowed from now on.
  setTimeout(() => mock.push(), 10);
  const result = { context: { id: `ctx-${mock.calls.length}`, parent_id: null, user_id: "user-bo" } };
  if (message.return_response) result.response = checklistRow(c);
  return result;
}

/** raadhus_alarm.keep_evidence: keep an incident's snapshots and clips for a police report. */
async function keepEvidence(message) {
  const data = message.service_data || {};
  schema(data, ["incident_id", "keep"], ["incident_id"]);
  const keep = bool(data, "keep");
  if (!mock.state.can_view_evidence) throw await refusal("not_permitted", { action: "keep_evidence" });
  const known = pastRow(data.incident_id) || mock.state.rooms.some((r) => r.incident && r.incident.id === data.incident_id);
  if (!known) throw await refusal("unknown_incident", { incident_id: data.incident_id });
  mock.evidence[data.incident_id] = { files: [], ...mock.evidence[data.incident_id], keep };
  setTimeout(() => mock.push(), 10);
  const result = { context: { id: `ctx-${mock.calls.length}`, parent_id: null, user_id: "user-bo" } };
  if (message.return_response) result.response = { incident_id: data.incident_id, keep };
  return result;
}

/** Home Assistant's auth/sign_path: the path with a signature that its views accept for `expires` seconds. */
function signPath(message) {
  const path = message.path;
  if (typeof path !== "string" || !path.startsWith("/")) throw invalid("expected str for dictionary value @ data['path']");
  const expires = message.expires === undefined ? 30 : message.expires;
  if (!Number.isInteger(expires)) throw invalid("expected int for dictionary value @ data['expires']");
  mock.signed += 1;
  return { path: `${path}${path.includes("?") ? "&" : "?"}authSig=sig${mock.signed}.${expires}` };
}

/** The ban services (ban_services.py through ban_desk.py), the follow-up and evidence ones, in short. */
async function callService(message) {
  const { domain, service } = message;
  const data = message.service_data || {};
  if (domain === "raadhus_alarm" && service === "follow_up") return followUp(message);
  if (domain === "raadhus_alarm" && service === "keep_evidence") return keepEvidence(message);
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
mock.checklists = storedChecklists();
mock.evidence = storedEvidence();
mock.statistics = worldStatistics();

const hass = {
  language: lang,
  locale: { language: lang },
  connected: params.get("connected") !== "0",
  config: { time_zone: "Europe/Copenhagen" },
  user: { name: USER, is_admin: false },
  states: Object.fromEntries([
    ...mock.state.rooms.map((r) => [
      r.camera,
      { entity_id: r.camera, state: "idle", attributes: { access_token: `tok-${r.id}`, friendly_name: `${r.name} kamera` } },
    ]),
    ...Object.entries(PERSONS).map(([id, name]) => [id, { entity_id: id, state: "home", attributes: { friendly_name: name } }]),
  ]),
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
    if (message.type === "auth/sign_path") return signPath(message);
    if (message.type === "raadhus_alarm/statistics") return JSON.parse(JSON.stringify(mock.statistics));
    return act(message);
  },
};

const panel = document.createElement("raadhus-alarm-panel");
panel.hass = hass;
panel.narrow = params.get("narrow") === "1";
panel.panel = { url_path: "raadhus-alarm" };
document.body.appendChild(panel);
window.panel = panel;
