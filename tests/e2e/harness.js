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
const button = (id, name, problem = null) => ({ id, name, problem });
const room = (id, name, kind, camera, buttons) => ({
  id, name, kind, state: "idle", camera, incident: null, last: null, buttons, monitored: false,
});

function world() {
  const state = {
    town_hall: "Demo Rådhus",
    officers_on_duty: true,
    police_present: false,
    on_duty: ["Betjent Bo", "Betjent Birte"],
    can_act: params.get("can_act") !== "0",
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
    a2.last = { state: "resolved", at: earlierToday(42), by: "Betjent Bo" };
    a2.buttons = [button("b4", "Knap", "low_battery")];
    w.monitored = true;
    w.buttons = [button("b5", "SOS-knap", "unavailable")];
    state.meetings = [
      { room: "Venteområde", start: minutesAgo(-30), end: minutesAgo(-90), title: "Borgermøde", monitored: true },
      { room: "Kontaktrum 2", start: minutesAgo(-120), end: minutesAgo(-150), title: "Samtale" },
    ];
  }
  return state;
}

function incident(id, state, since, extra) {
  return {
    id, state, since, raised_by: null, acknowledged_by: null, on_scene_by: null,
    drill: false, joins: 0, ...extra,
  };
}

const subscribers = new Set();
const readyListeners = new Set();
const mock = {
  state: world(),
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

const STEP = { acknowledge: "acknowledged", on_scene: "on_scene", resolve: "resolved" };

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
    const r = mock.state.rooms.find((x) => x.incident && x.incident.id === message.incident_id);
    if (!r) throw { code: "unknown_incident", message: "No such incident" };
    const next = STEP[message.action];
    if (next === "resolved") {
      r.last = { state: "resolved", at: new Date().toISOString(), by: USER };
      r.incident = null;
      r.state = "idle";
    } else {
      r.state = next;
      r.incident.state = next;
      if (next === "acknowledged") r.incident.acknowledged_by = USER;
      if (next === "on_scene") r.incident.on_scene_by = USER;
    }
    setTimeout(() => mock.push(), 10);
    return { state: next };
  },
};

const panel = document.createElement("raadhus-alarm-panel");
panel.hass = hass;
panel.narrow = params.get("narrow") === "1";
panel.panel = { url_path: "raadhus-alarm" };
document.body.appendChild(panel);
window.panel = panel;
