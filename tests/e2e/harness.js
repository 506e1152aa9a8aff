// A fake `hass` for the panel: the websocket contract of
// custom_components/raadhus_alarm/websocket_api.py, served from memory.
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
const ROLES = {
  officer: { can_act: true, can_resolve: true, can_cancel: true, can_debrief: false },
  leader: { can_act: true, can_resolve: true, can_cancel: true, can_debrief: true },
  none: { can_act: false, can_resolve: false, can_cancel: false, can_debrief: false },
};
const role = params.get("can_act") === "0" ? "none" : params.get("role") || "officer";
const room = (id, name, kind, camera, buttons) => ({
  id, name, kind, state: "idle", camera, incident: null, last: null, buttons, monitored: false,
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
    w.monitored = true;
    w.buttons = [button("b5", "SOS-knap", "unavailable")];
    state.meetings = [
      { room: "Venteområde", start: minutesAgo(-30), end: minutesAgo(-90), title: "Borgermøde", monitored: true },
      { room: "Kontaktrum 2", start: minutesAgo(-120), end: minutesAgo(-150), title: "Samtale" },
    ];
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
  failNext: null, // {code, message} for the next act
  push() {
    const copy = JSON.parse(JSON.stringify(mock.state));
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
      queueMicrotask(() => callback(JSON.parse(JSON.stringify(mock.state))));
      return async () => subscribers.delete(callback);
    },
    addEventListener(type, callback) {
      if (type === "ready") readyListeners.add(callback);
    },
    removeEventListener(type, callback) {
      if (type === "ready") readyListeners.delete(callback);
    },
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
    return act(message);
  },
};

const panel = document.createElement("raadhus-alarm-panel");
panel.hass = hass;
panel.narrow = params.get("narrow") === "1";
panel.panel = { url_path: "raadhus-alarm" };
document.body.appendChild(panel);
window.panel = panel;
