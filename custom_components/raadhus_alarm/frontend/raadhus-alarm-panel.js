/**
 * Rådhus Alarm — the officers' room panel (R12).
 *
 * One self-contained ES module, no build step and no imports: Home Assistant
 * serves this file as it is from the integration's static path, so what is in
 * the repository is exactly what HACS users run.
 *
 * Home Assistant creates <raadhus-alarm-panel> and sets the properties `hass`,
 * `narrow`, `route` and `panel` on it. Everything the panel shows comes from
 * one websocket subscription (`raadhus_alarm/subscribe`), which pushes the full
 * state at once and after every change; the controls call
 * `raadhus_alarm/act` as the logged-in user (the server's permission gate
 * decides; the state's can_* flags only choose which buttons are shown), and
 * the history view calls `raadhus_alarm/history`. Resolving, a false alarm
 * and "debriefed" are always confirmed in a dialog; resolving needs a reason.
 * Anyone may announce a difficult meeting (R7) in a form: it shows what
 * `raadhus_alarm/meeting_preview` warns about before `raadhus_alarm/announce_meeting`
 * saves it (the server decides who may); today's meetings are in the side
 * column, and a room's tile says so while a meeting runs there.
 * The attendance-bans view (R8, "Fremmødeforbud") lists the state's `bans`
 * (the active ones, soonest ending first) with a search over case number and
 * centre, for the officer at the door. Users with `can_write_bans` (leaders,
 * the centre chief) also get a form and per-row "change" and "end now"
 * (confirmed): Home Assistant's standard `call_service` websocket command
 * with the services raadhus_alarm.add_ban, update_ban and end_ban
 * (return_response; the server's gate decides, and its refusals are shown in
 * the user's language). Deleting a ban (remove_ban) is not offered here.
 * After an incident (R6), users with `can_follow_up` (leaders, the centre
 * chief) get the follow-up view: the state's `followups` (resolved or
 * debriefed real incidents of the last 30 days whose checklist is not done,
 * newest first), each with the crisis line valid then, the municipality's
 * CVR with the police report, an overdue mark, and its items ticked off (or
 * back) through call_service raadhus_alarm.follow_up; the debrief asks with
 * whom first (Home Assistant's person entities, by name). "Debriefed" is
 * refused by the server until the debrief is recorded: its translated
 * refusal is shown (as any refusal of a panel command the panel does not
 * word itself). The statistics view asks `raadhus_alarm/statistics` each
 * time it opens: the last 30 days' figures, the drills apart, and a chart
 * per month drawn here as inline SVG (bars: alarms; line: median time to
 * acknowledge) with the same numbers in a visually hidden table. In the
 * history, a row's `evidence` (null unless `can_view_evidence`) opens to
 * thumbnails and clip links whose paths are signed with `auth/sign_path`
 * (the view needs Home Assistant's login) and a "keep for police report"
 * switch (call_service raadhus_alarm.keep_evidence); with `can_export` the
 * history offers the log as CSV for a chosen period and drills, a signed
 * /api/raadhus_alarm/export.csv link that is downloaded. A new alarm takes
 * the screen back from every view.
 *
 * Sections:
 *   1. Texts (Danish / English)
 *   2. Small helpers (escaping, time formatting, icons)
 *   3. Siren (WebAudio)
 *   4. Styles
 *   5. The element: lifecycle, subscription, rendering, actions
 *
 * Stable hooks for the browser tests (tests/e2e/): every room tile has
 * data-room="<room name>" and data-state="idle|triggered|acknowledged|on_scene",
 * control buttons have data-action="acknowledge|on_scene|resolve|cancel|debriefed",
 * the confirmation is .dialog[data-dialog=<action>] with [data-resolution],
 * [data-confirm] and [data-dismiss], history rows are
 * [data-history-incident=<id>] with data-state, data-drill and
 * data-history-room (never data-room: that is a tile), and the root
 * element reports data-sound="on|off", data-siren="playing|testing|silent",
 * data-muted and data-view="rooms|history|bans|followups|statistics". The
 * views' header buttons are button.followup-btn, .bans-btn, .history-btn and
 * .stats-btn (aria-pressed; a .count on the first two). Meetings: today's are
 * [data-meeting=<id>] with data-active and data-monitored; a tile's running
 * meeting is .badge[data-badge="monitored|meeting"]; button.announce-btn
 * opens the form .dialog[data-dialog="meeting"] with [data-field=room|date|
 * start|end|monitored|note], [data-duration=<minutes>], warnings
 * [data-warning=<key>|none], [data-use-suggestion], [data-save] and
 * [data-form-close]; once saved the form has data-saved=<meeting id>.
 * Bans: button.bans-btn (its .count when there are active bans) opens
 * data-view="bans": section.bans with input.ban-search, rows
 * li.ban-row[data-ban=<id>] with data-letter-filed, .ban-case, .ban-centre,
 * .ban-until, .ban-by, .ban-note and the buttons [data-ban-change=<id>] and
 * [data-ban-end=<id>], or li.empty[data-ban-empty] / [data-ban-no-match];
 * .ban-status says what was just saved. button.ban-new opens the form
 * .dialog[data-dialog="ban"][data-mode="add|update"] with [data-field=
 * case_reference|centre|start|end|note|letter_filed], .error, [data-save]
 * and [data-form-close]; "end now" confirms in .dialog[data-dialog="end_ban"].
 * Follow-up: section.followups with .fu-status, cards li.fu-card[data-
 * followup=<incident id>] with data-state and data-overdue (.badge.overdue),
 * .fu-room, .fu-when, .fu-progress, .fu-crisis (.fu-crisis-name, a.fu-crisis-
 * phone), [data-action="debriefed"][data-incident-id] and .fu-error; items
 * li.fu-item[data-item=<key>] with data-done and data-applies, the tick
 * button[data-tick=<key>] (role checkbox, aria-checked; none where the item
 * does not apply: .fu-na), .fu-help (.fu-cvr), .fu-done, .fu-persons and
 * button[data-persons]; li[data-followup-empty] when none is open. Whom the
 * debrief was held with: .dialog[data-dialog="debrief_persons"] with
 * input.person-filter and checkboxes input[data-person=<person entity id>].
 * Statistics: section.stats with .stats-error, [data-stat-group=
 * "last_30_days"|"drills"] holding [data-stat=<figure>] .stat-value
 * (data-empty without a figure), svg.chart (aria-hidden) with rect.bar
 * [data-month][data-count], circle.ack-point[data-month] and text.month-label,
 * and table.stat-table (tr[data-month], td[data-stat]). Evidence: a history
 * row's button[data-evidence-toggle=<id>] (aria-expanded) opens
 * .h-evidence[data-evidence=<id>] with li.ev-file[data-evidence-file=<name>]
 * [data-kind=snapshot|clip] (an img, a.ev-clip; both data-signed-path),
 * the switch button[data-evidence-keep=<id>] (aria-checked) and .ev-error;
 * .badge.kept marks kept evidence. Export: .history .export with inputs
 * [data-export-field=start|end|drills], button[data-export-download],
 * .export-hint, and data-export-url (the last signed link).
 */

// ---------------------------------------------------------------------------
// 1. Texts
// ---------------------------------------------------------------------------

const TEXTS = {
  da: {
    alarm: "ALARM",
    idle: "Ingen alarm",
    acknowledged: "KVITTERET",
    on_scene: "PÅ STEDET",
    acknowledged_by: "Kvitteret af {name}",
    on_the_way: "{name} er på vej",
    on_scene_by: "På stedet: {name}",
    raised_by: "Udløst af {name}",
    since: "siden {time}",
    drill: "ØVELSE",
    joins: "+{n} tryk mere",
    last_resolved: "Afsluttet {time} af {name}",
    last_debriefed: "Afsluttet {time} — debriefing: {name}",
    last_cancelled: "Annulleret (falsk alarm) {time} af {name}",
    act_acknowledge: "Jeg kommer",
    act_on_scene: "På stedet",
    act_resolve: "Afsluttet",
    cannot_act: "Kun beredskabet kan kvittere her",
    officers_on_duty: "Betjente på arbejde",
    out_of_hours: "Uden for betjenttid — vagt",
    nobody: "ingen",
    police_present: "Politiet er på rådhuset",
    police_absent: "Politiet er ikke på rådhuset",
    button_broken: "Alarmtryk virker ikke",
    no_button: "Intet alarmtryk i rummet",
    problem_missing: "mangler",
    problem_unavailable: "ingen forbindelse",
    problem_low_battery: "lavt batteri",
    problem_not_seen: "ikke hørt fra længe",
    buttons_title: "Alarmtryk",
    buttons_ok: "Alle {n} alarmtryk virker",
    meetings_title: "Dagens varslede samtaler",
    no_meetings: "Ingen varslede samtaler i dag",
    monitored: "Overvåget samtale",
    announced_meeting: "Varslet samtale",
    m_monitored: "overvåget",
    m_now: "NU",
    m_by: "Varslet af {name}",
    sound_enable: "Slå lyd til",
    sound_on: "Lyd til",
    sound_blocked: "Lyden er slået fra i browseren",
    alarm_banner: "ALARM",
    disconnected:
      "Ingen forbindelse til Home Assistant — skærmen viser måske ikke det seneste",
    loading: "Henter rådhuset …",
    not_loaded: "Rådhus Alarm er ikke sat op eller ikke startet",
    no_camera: "Intet kamera",
    camera_error: "Kameraet svarer ikke",
    err_not_permitted: "Det har din rolle ikke lov til",
    err_invalid_transition: "Alarmen er allerede ændret af en anden",
    err_unknown_incident: "Alarmen findes ikke længere",
    err_generic: "Det lykkedes ikke: {message}",
    menu: "Menu",
    kind_contact_room: "Kontaktrum",
    kind_emergency_room: "Akutrum",
    kind_waiting_area: "Venteområde",
    kind_other: "Rum",
    // Closing an alarm: always confirmed, resolving with how it ended.
    act_cancel: "Falsk alarm",
    act_debriefed: "Debriefing holdt",
    resolve_title: "Afslut alarmen i {room}?",
    resolve_help: "Hvordan sluttede den? Vælg én.",
    resolution_citizen_left: "Borgeren bedt om at gå",
    resolution_police_called: "Politi tilkaldt",
    resolution_other: "Andet",
    note_label: "Bemærkning (valgfri)",
    resolve_confirm: "Afslut alarmen",
    cancel_title: "Falsk alarm i {room}?",
    cancel_help: "Alarmen annulleres og lukkes som falsk alarm.",
    cancel_confirm: "Ja, det var falsk alarm",
    debrief_title: "Debriefing holdt efter alarmen i {room}?",
    debrief_help: "Alarmen {time} markeres som debriefet.",
    debrief_confirm: "Ja, debriefing er holdt",
    dismiss: "Fortryd",
    err_resolution_required: "Vælg hvordan alarmen sluttede",
    // Escalation and delivery (names only; the errors are the administrators').
    repeated: "Sendt igen {n}×",
    widened_to: "Også sendt til: {names}",
    unreachable: "Kunne ikke nå: {names}",
    // History.
    history: "Historik",
    history_title: "Alarmer de sidste {days} dage",
    back: "Tilbage til rummene",
    all_rooms: "Alle rum",
    filter_room: "Rum",
    history_empty: "Ingen alarmer i perioden",
    history_loading: "Henter historik …",
    history_error: "Historikken kunne ikke hentes",
    history_truncated: "Kun de nyeste alarmer vises",
    state_triggered: "ALARM",
    state_acknowledged: "Kvitteret",
    state_on_scene: "På stedet",
    state_resolved: "Afsluttet",
    state_cancelled: "Falsk alarm",
    state_debriefed: "Debriefing holdt",
    h_raised: "Udløst af {name}",
    h_acknowledged: "Kvitteret af {name}",
    h_resolved: "Afsluttet af {name} kl. {time}",
    h_cancelled: "Annulleret af {name} kl. {time}",
    h_debriefed: "Debriefing: {name}",
    debrief_due: "Mangler debriefing",
    // Sound.
    sound_test: "Test lyd",
    sound_testing: "Tester lyd …",
    mute: "Slå alarmlyd fra",
    unmute: "Slå alarmlyd til igen",
    muted: "Alarmlyden er slået fra",
    sound_tap: "Browseren har blokeret lyden — tryk her for at slå lyd til",
    // Announcing a difficult meeting (R7).
    announce: "Varsl svær samtale",
    f_room: "Rum",
    f_date: "Dato",
    f_start: "Start",
    f_end: "Slut",
    f_length: "Varighed",
    dur_30: "30 min",
    dur_45: "45 min",
    dur_60: "1 time",
    dur_90: "1½ time",
    dur_120: "2 timer",
    f_monitored: "Betjentene bedes overvåge samtalen",
    f_monitored_help: "(sidde med eller være tæt på)",
    f_note: "Note til betjentene (valgfri)",
    f_note_help: "Aldrig borgerens navn eller CPR-nummer.",
    f_checking: "Tjekker tidspunktet …",
    f_ok: "Ingen advarsler: betjentene er på arbejde under hele samtalen.",
    w_outside_officer_hours: "Uden for betjenttid: rådhusbetjentene er ikke på arbejde under hele samtalen.",
    w_police_present: "Politiet er på rådhuset under hele samtalen.",
    w_suggestion: "Næste tid med politi på rådhuset: {when}",
    w_no_suggestion: "Der er ingen kendt tid med politi på rådhuset.",
    use_suggestion: "Brug dette tidspunkt",
    w_overlap: "Der er allerede varslet en samtale i rummet {when} ({name}).",
    w_overlap_unknown: "Der er allerede varslet en anden samtale i rummet på samme tid.",
    w_no_officer_schedule: "Betjenttiden er ikke sat op, så tidspunktet kan ikke tjekkes.",
    at_time: "kl. {time}",
    save: "Varsl samtalen",
    save_anyway: "Varsl alligevel",
    saved_title: "Samtalen er varslet",
    saved_text: "{room}, {when}. Betjentene får besked arbejdsdagen før og kort før den begynder.",
    saved_monitored: "Betjentene er bedt om at overvåge den.",
    close: "Luk",
    err_cpr_refused: "Noten ligner et CPR-nummer. Skriv aldrig CPR-numre her; fjern det og prøv igen.",
    err_unknown_room: "Rummet findes ikke (længere)",
    err_meeting_ends_before_it_starts: "Samtalen skal slutte, efter den begynder",
    err_meeting_time_invalid: "Dato eller tid er ikke gyldig",
    err_note_too_long: "Noten er for lang (højst 1000 tegn)",
    err_not_loaded: "Rådhus Alarm er ikke sat op eller ikke startet",
    // Attendance bans (R8).
    bans: "Fremmødeforbud",
    bans_short: "Forbud",
    bans_active: "{n} aktive",
    bans_title: "Aktive fremmødeforbud",
    bans_search: "Søg sagsnummer eller center",
    bans_shown: "{n} af {total}",
    bans_empty: "Der er ingen aktive fremmødeforbud.",
    bans_no_match: "Intet aktivt fremmødeforbud passer til “{query}”.",
    ban_until: "Indtil {date}",
    ban_issued_by: "Udstedt af {name}",
    ban_letter_filed: "Brev journaliseret",
    ban_letter_missing: "Brev ikke journaliseret",
    ban_new: "Nyt fremmødeforbud",
    ban_change: "Ret",
    ban_end: "Afslut nu",
    ban_edit_title: "Ret fremmødeforbud {case}",
    bf_case: "Sagsnummer",
    bf_case_help: "Sagssystemets nummer — aldrig CPR-nummer eller navn.",
    bf_centre: "Center",
    bf_start: "Fra (dato)",
    bf_end: "Til (dato, valgfri)",
    bf_end_help: "Standard: 6 måneder (til {date})",
    bf_note: "Note (valgfri)",
    bf_note_help: "Kun ledere og centerchefen ser noten. Aldrig CPR-nummer.",
    bf_letter: "Brevet om forbuddet er journaliseret",
    bf_save: "Gem fremmødeforbuddet",
    bf_save_changes: "Gem ændringerne",
    ban_saved: "Fremmødeforbuddet for {case} er gemt.",
    ban_saved_later: "Fremmødeforbuddet for {case} er gemt. Det gælder fra {date} og står på listen fra da.",
    ban_ended: "Fremmødeforbuddet for {case} er afsluttet.",
    end_ban_title: "Afslut fremmødeforbuddet for {case} nu?",
    end_ban_help: "{centre}, planlagt indtil {date}. Forbuddet ophører med det samme.",
    end_ban_confirm: "Ja, afslut forbuddet nu",
    err_service: "Det lykkedes ikke. Prøv igen.",
    // Follow-up after an incident (R6).
    followup: "Opfølgning",
    followup_open: "{n} åbne",
    followup_overdue_count: "{n} forsinket",
    followup_title: "Opfølgning efter alarmer",
    followup_intro: "Alarmer fra de sidste 30 dage, hvor tjeklisten ikke er færdig. Nyeste først.",
    followup_empty: "Ingen åbne opfølgninger.",
    fu_raised: "Udløst {time}",
    fu_resolved: "afsluttet {time}",
    fu_progress: "{done} af {total} punkter",
    fu_overdue: "Forsinket",
    fu_overdue_help: "Der har været åbne punkter i mere end 3 arbejdsdage.",
    fu_crisis: "Krisehjælp",
    fu_crisis_phone: "tlf. {phone}",
    fu_crisis_unknown: "Krisehjælpens nummer er ikke sat op.",
    fu_done: "Udført {time} af {name}",
    fu_done_at: "Udført {time}",
    fu_with: "Med: {names}",
    fu_and: "og",
    fu_na: "Ikke relevant",
    fu_change_persons: "Ret personer",
    fu_item_debrief: "Defusing/debriefing holdt",
    fu_help_debrief: "Med hvem? Vælg personerne, når den er holdt.",
    fu_item_crisis_help_offered: "Krisehjælp tilbudt",
    fu_help_crisis_help_offered: "Tilbyd de berørte psykologhjælp via krisehjælpen.",
    fu_item_relatives_contacted: "Pårørende kontaktet",
    fu_help_relatives_contacted: "Kun efter aftale med medarbejderen.",
    fu_item_police_report: "Politianmeldelse indgivet",
    fu_help_police_report: "Med kommunen som anmelder (CVR {cvr}) — aldrig medarbejderens CPR-nummer eller private adresse.",
    fu_cvr_unknown: "ikke sat op",
    fu_item_safety_organisation_told: "Sikkerhedsorganisationen orienteret",
    fu_help_safety_organisation_told: "Indberet hændelsen til sikkerhedsorganisationen.",
    fu_item_work_accident_report: "Anmeldt som arbejdsulykke",
    fu_help_work_accident_report: "Kun ved hændelser uden for arbejdstiden.",
    fu_item_video_requested: "Video bestilt",
    fu_help_video_requested: "Bestil optagelserne hos sikkerhedskoordinatoren.",
    fu_complete: "Opfølgningen efter alarmen i {room} er færdig.",
    persons_title: "Debriefing efter alarmen i {room}",
    persons_help: "Hvem blev debriefingen holdt med? Vælg en eller flere.",
    persons_confirm: "Gem debriefingen",
    persons_filter: "Find person",
    persons_none: "Der er ingen personer i Home Assistant at vælge.",
    // Response statistics.
    statistics: "Statistik",
    statistics_short: "Statistik",
    stats_title: "Svartider og antal alarmer",
    stats_loading: "Henter statistik …",
    stats_error: "Statistikken kunne ikke hentes",
    stats_last_30: "De sidste 30 dage",
    stats_drills_30: "Øvelser de sidste 30 dage (ikke talt med ovenfor)",
    stat_count: "Alarmer",
    stat_cancelled: "Heraf falske alarmer",
    stat_ack_median: "Til kvittering, median",
    stat_ack_p90: "Til kvittering, 9 ud af 10 inden for",
    stat_on_scene_median: "Til på stedet, median",
    stat_on_scene_p90: "Til på stedet, 9 ud af 10 inden for",
    stat_none: "ingen data",
    stats_chart_title: "Pr. måned, de sidste 12 måneder (øvelser ikke med)",
    stats_legend_count: "Antal alarmer",
    stats_legend_ack: "Median tid til kvittering",
    stats_month: "Måned",
    stats_table: "Alarmer og svartider pr. måned",
    dur_s: "{s} s",
    dur_ms: "{m} min {s} s",
    dur_hm: "{h} t {m} min",
    axis_min: "{m} min",
    // Video evidence.
    evidence: "Bevis ({n})",
    evidence_title: "Video og billeder fra alarmen",
    evidence_snapshot: "Stillbillede fra {camera} {time}",
    evidence_clip: "Videoklip fra {camera} {time}",
    evidence_loading: "Henter …",
    evidence_error: "Billederne kunne ikke hentes",
    evidence_keep: "Gem til politianmeldelse",
    evidence_kept: "Gemmes til politiet",
    // The log export.
    export_title: "Hent log som CSV",
    export_from: "Fra",
    export_to: "Til",
    export_drills: "Øvelser",
    drills_include: "Med øvelser",
    drills_exclude: "Uden øvelser",
    drills_only: "Kun øvelser",
    export_download: "Hent CSV",
    export_bad_period: "Fra-datoen må ikke ligge efter til-datoen.",
  },
  en: {
    alarm: "ALARM",
    idle: "No alarm",
    acknowledged: "ACKNOWLEDGED",
    on_scene: "ON SCENE",
    acknowledged_by: "Acknowledged by {name}",
    on_the_way: "{name} is on the way",
    on_scene_by: "On scene: {name}",
    raised_by: "Raised by {name}",
    since: "since {time}",
    drill: "DRILL",
    joins: "+{n} more presses",
    last_resolved: "Resolved {time} by {name}",
    last_debriefed: "Resolved {time} — debriefed by {name}",
    last_cancelled: "Cancelled (false alarm) {time} by {name}",
    act_acknowledge: "I'm coming",
    act_on_scene: "On scene",
    act_resolve: "Resolved",
    cannot_act: "Only responders can acknowledge here",
    officers_on_duty: "Officers on duty",
    out_of_hours: "Out of hours — on call",
    nobody: "nobody",
    police_present: "Police are in the town hall",
    police_absent: "Police are not in the town hall",
    button_broken: "Panic button not working",
    no_button: "No panic button in this room",
    problem_missing: "missing",
    problem_unavailable: "no connection",
    problem_low_battery: "low battery",
    problem_not_seen: "not heard from for too long",
    buttons_title: "Panic buttons",
    buttons_ok: "All {n} panic buttons working",
    meetings_title: "Today's announced meetings",
    no_meetings: "No announced meetings today",
    monitored: "Monitored meeting",
    announced_meeting: "Announced meeting",
    m_monitored: "monitored",
    m_now: "NOW",
    m_by: "Announced by {name}",
    sound_enable: "Enable sound",
    sound_on: "Sound on",
    sound_blocked: "The browser has blocked sound",
    alarm_banner: "ALARM",
    disconnected:
      "No connection to Home Assistant — this screen may be out of date",
    loading: "Loading the town hall …",
    not_loaded: "Rådhus Alarm is not set up or not running",
    no_camera: "No camera",
    camera_error: "The camera does not answer",
    err_not_permitted: "Your role is not allowed to do this",
    err_invalid_transition: "Someone else has already changed this alarm",
    err_unknown_incident: "This alarm no longer exists",
    err_generic: "That did not work: {message}",
    menu: "Menu",
    kind_contact_room: "Contact room",
    kind_emergency_room: "Emergency room",
    kind_waiting_area: "Waiting area",
    kind_other: "Room",
    act_cancel: "False alarm",
    act_debriefed: "Debriefed",
    resolve_title: "Resolve the alarm in {room}?",
    resolve_help: "How did it end? Choose one.",
    resolution_citizen_left: "Citizen asked to leave",
    resolution_police_called: "Police called",
    resolution_other: "Other",
    note_label: "Note (optional)",
    resolve_confirm: "Resolve the alarm",
    cancel_title: "False alarm in {room}?",
    cancel_help: "The alarm is cancelled and closed as a false alarm.",
    cancel_confirm: "Yes, it was a false alarm",
    debrief_title: "Debrief held after the alarm in {room}?",
    debrief_help: "The alarm at {time} is marked as debriefed.",
    debrief_confirm: "Yes, the debrief is held",
    dismiss: "Go back",
    err_resolution_required: "Choose how the alarm ended",
    repeated: "Sent again {n}×",
    widened_to: "Also sent to: {names}",
    unreachable: "Could not reach: {names}",
    history: "History",
    history_title: "Alarms in the last {days} days",
    back: "Back to the rooms",
    all_rooms: "All rooms",
    filter_room: "Room",
    history_empty: "No alarms in this period",
    history_loading: "Loading the history …",
    history_error: "The history could not be loaded",
    history_truncated: "Only the newest alarms are shown",
    state_triggered: "ALARM",
    state_acknowledged: "Acknowledged",
    state_on_scene: "On scene",
    state_resolved: "Resolved",
    state_cancelled: "False alarm",
    state_debriefed: "Debriefed",
    h_raised: "Raised by {name}",
    h_acknowledged: "Acknowledged by {name}",
    h_resolved: "Resolved by {name} at {time}",
    h_cancelled: "Cancelled by {name} at {time}",
    h_debriefed: "Debriefed: {name}",
    debrief_due: "Debrief pending",
    sound_test: "Test sound",
    sound_testing: "Testing sound …",
    mute: "Mute the alarm",
    unmute: "Unmute the alarm",
    muted: "The alarm sound is muted",
    sound_tap: "The browser has blocked sound — tap here to enable it",
    announce: "Announce difficult meeting",
    f_room: "Room",
    f_date: "Date",
    f_start: "Start",
    f_end: "End",
    f_length: "Length",
    dur_30: "30 min",
    dur_45: "45 min",
    dur_60: "1 hour",
    dur_90: "1½ hours",
    dur_120: "2 hours",
    f_monitored: "Ask the officers to monitor the meeting",
    f_monitored_help: "(sit in or stay close)",
    f_note: "Note for the officers (optional)",
    f_note_help: "Never the citizen's name or CPR number.",
    f_checking: "Checking the time …",
    f_ok: "No warnings: the officers are on duty for the whole meeting.",
    w_outside_officer_hours: "Outside the officers' hours: the town hall officers are not on duty for the whole meeting.",
    w_police_present: "The police are at the town hall for the whole meeting.",
    w_suggestion: "Next time the police are at the town hall: {when}",
    w_no_suggestion: "No time with police at the town hall is known.",
    use_suggestion: "Use this time",
    w_overlap: "Another meeting is announced in the room {when} ({name}).",
    w_overlap_unknown: "Another meeting is announced in the room at the same time.",
    w_no_officer_schedule: "The officers' hours are not set up, so the time cannot be checked.",
    at_time: "at {time}",
    save: "Announce the meeting",
    save_anyway: "Announce anyway",
    saved_title: "The meeting is announced",
    saved_text: "{room}, {when}. The officers are told the working day before and shortly before it starts.",
    saved_monitored: "The officers are asked to monitor it.",
    close: "Close",
    err_cpr_refused: "The note looks like it holds a CPR number. Never write one here; remove it and try again.",
    err_unknown_room: "That room does not exist (any more)",
    err_meeting_ends_before_it_starts: "The meeting must end after it starts",
    err_meeting_time_invalid: "The date or time is not valid",
    err_note_too_long: "The note is too long (at most 1,000 characters)",
    err_not_loaded: "Rådhus Alarm is not set up or not running",
    bans: "Attendance bans",
    bans_short: "Bans",
    bans_active: "{n} active",
    bans_title: "Active attendance bans",
    bans_search: "Search case number or centre",
    bans_shown: "{n} of {total}",
    bans_empty: "There are no active attendance bans.",
    bans_no_match: "No active attendance ban matches “{query}”.",
    ban_until: "Until {date}",
    ban_issued_by: "Issued by {name}",
    ban_letter_filed: "Letter filed",
    ban_letter_missing: "Letter not filed",
    ban_new: "New attendance ban",
    ban_change: "Change",
    ban_end: "End now",
    ban_edit_title: "Change attendance ban {case}",
    bf_case: "Case number",
    bf_case_help: "The case system's number — never a CPR number or a name.",
    bf_centre: "Centre",
    bf_start: "From (date)",
    bf_end: "Until (date, optional)",
    bf_end_help: "Default: 6 months (until {date})",
    bf_note: "Note (optional)",
    bf_note_help: "Only leaders and the centre chief see the note. Never a CPR number.",
    bf_letter: "The letter about the ban is filed",
    bf_save: "Save the attendance ban",
    bf_save_changes: "Save the changes",
    ban_saved: "The attendance ban for {case} is saved.",
    ban_saved_later: "The attendance ban for {case} is saved. It applies from {date} and is listed from then.",
    ban_ended: "The attendance ban for {case} has ended.",
    end_ban_title: "End the attendance ban for {case} now?",
    end_ban_help: "{centre}, planned until {date}. The ban stops at once.",
    end_ban_confirm: "Yes, end the ban now",
    err_service: "That did not work. Try again.",
    followup: "Follow-up",
    followup_open: "{n} open",
    followup_overdue_count: "{n} overdue",
    followup_title: "Follow-up after alarms",
    followup_intro: "Alarms of the last 30 days whose checklist is not done. Newest first.",
    followup_empty: "No open follow-ups.",
    fu_raised: "Raised {time}",
    fu_resolved: "resolved {time}",
    fu_progress: "{done} of {total} items",
    fu_overdue: "Overdue",
    fu_overdue_help: "Items have been open for more than 3 working days.",
    fu_crisis: "Crisis help",
    fu_crisis_phone: "phone {phone}",
    fu_crisis_unknown: "The crisis line's number is not set up.",
    fu_done: "Done {time} by {name}",
    fu_done_at: "Done {time}",
    fu_with: "With: {names}",
    fu_and: "and",
    fu_na: "Not applicable",
    fu_change_persons: "Change persons",
    fu_item_debrief: "Debrief held",
    fu_help_debrief: "With whom? Choose the persons once it is held.",
    fu_item_crisis_help_offered: "Crisis help offered",
    fu_help_crisis_help_offered: "Offer those affected a psychologist through the crisis line.",
    fu_item_relatives_contacted: "Relatives contacted",
    fu_help_relatives_contacted: "Only with the employee's consent.",
    fu_item_police_report: "Police report filed",
    fu_help_police_report: "With the municipality as the reporting party (CVR {cvr}) — never the employee's CPR number or private address.",
    fu_cvr_unknown: "not set up",
    fu_item_safety_organisation_told: "Safety organisation told",
    fu_help_safety_organisation_told: "Report the incident to the safety organisation.",
    fu_item_work_accident_report: "Reported as a work accident",
    fu_help_work_accident_report: "Only for incidents outside working hours.",
    fu_item_video_requested: "Video requested",
    fu_help_video_requested: "Ask the security coordinator for the recordings.",
    fu_complete: "The follow-up after the alarm in {room} is done.",
    persons_title: "Debrief after the alarm in {room}",
    persons_help: "Who was the debrief held with? Choose one or more.",
    persons_confirm: "Save the debrief",
    persons_filter: "Find a person",
    persons_none: "There are no persons in Home Assistant to choose from.",
    statistics: "Statistics",
    statistics_short: "Stats",
    stats_title: "Response times and number of alarms",
    stats_loading: "Loading the statistics …",
    stats_error: "The statistics could not be loaded",
    stats_last_30: "The last 30 days",
    stats_drills_30: "Drills in the last 30 days (not counted above)",
    stat_count: "Alarms",
    stat_cancelled: "False alarms among them",
    stat_ack_median: "To acknowledge, median",
    stat_ack_p90: "To acknowledge, 90th percentile",
    stat_on_scene_median: "To on scene, median",
    stat_on_scene_p90: "To on scene, 90th percentile",
    stat_none: "no data",
    stats_chart_title: "Per month, the last 12 months (drills left out)",
    stats_legend_count: "Number of alarms",
    stats_legend_ack: "Median time to acknowledge",
    stats_month: "Month",
    stats_table: "Alarms and response times per month",
    dur_s: "{s} s",
    dur_ms: "{m} min {s} s",
    dur_hm: "{h} h {m} min",
    axis_min: "{m} min",
    evidence: "Evidence ({n})",
    evidence_title: "Video and images from the alarm",
    evidence_snapshot: "Snapshot from {camera} {time}",
    evidence_clip: "Video clip from {camera} {time}",
    evidence_loading: "Loading …",
    evidence_error: "The images could not be loaded",
    evidence_keep: "Keep for police report",
    evidence_kept: "Kept for the police",
    export_title: "Download the log as CSV",
    export_from: "From",
    export_to: "To",
    export_drills: "Drills",
    drills_include: "Drills included",
    drills_exclude: "Without drills",
    drills_only: "Drills only",
    export_download: "Download CSV",
    export_bad_period: "The from date must not be after the to date.",
  },
};

/** Danish unless Home Assistant's language is something else we know. */
function languageOf(hass) {
  const lang = (hass && (hass.language || (hass.locale && hass.locale.language))) || "da";
  return lang.toLowerCase().startsWith("da") ? "da" : "en";
}

// ---------------------------------------------------------------------------
// 2. Helpers
// ---------------------------------------------------------------------------

/** Everything from the server is text, never markup. */
function esc(value) {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

/** CSS attribute selector value (room names contain spaces and ÆØÅ). */
function cssString(value) {
  return `"${String(value).replace(/["\\]/g, "\\$&")}"`;
}

function fill(template, vars) {
  return template.replace(/\{(\w+)\}/g, (_, key) => esc(vars[key] ?? ""));
}

/** A template filled in as plain text (set as textContent, or escaped later). */
function plain(template, vars) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(vars[key] ?? ""));
}

/**
 * Times are shown in the town hall's time zone (Home Assistant's), not the
 * browser's: a wall screen or a tablet with a wrong zone must still agree with
 * the officers' phones and the incident log.
 */
class Clock {
  constructor(lang, timeZone) {
    const locale = lang === "da" ? "da-DK" : "en-GB";
    const zone = timeZone ? { timeZone } : {};
    try {
      this.hm = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", ...zone });
      this.hms = new Intl.DateTimeFormat(locale, {
        hour: "2-digit", minute: "2-digit", second: "2-digit", ...zone,
      });
      this.day = new Intl.DateTimeFormat(locale, {
        weekday: "long", day: "numeric", month: "long", ...zone,
      });
      this.short = new Intl.DateTimeFormat(locale, {
        weekday: "short", day: "numeric", month: "short", ...zone,
      });
      this.ymd = new Intl.DateTimeFormat("en-CA", {
        year: "numeric", month: "2-digit", day: "2-digit", ...zone,
      });
      this.hm23 = new Intl.DateTimeFormat("en-GB", {
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...zone,
      });
      // "05.12.2026" in Danish; "5 Dec 2026" in English (never 12/05).
      this.dmy = new Intl.DateTimeFormat(
        locale,
        lang === "da"
          ? { day: "2-digit", month: "2-digit", year: "numeric", ...zone }
          : { day: "numeric", month: "short", year: "numeric", ...zone },
      );
    } catch (err) {
      // An unknown zone name: fall back to the browser's zone.
      if (timeZone) return new Clock(lang, null);
      throw err;
    }
  }

  /** "14.32" / "14:32" — Intl's separators, then ':' for legibility. */
  time(date) {
    return this.hm.format(date).replace(/\./g, ":");
  }

  timeSeconds(date) {
    return this.hms.format(date).replace(/\./g, ":");
  }

  date(date) {
    const text = this.day.format(date);
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** A calendar date: "05.12.2026" / "5 Dec 2026" (a ban's end). */
  calendarDate(date) {
    return this.dmy.format(date);
  }

  /** "man. 23. nov. 14:32": a history row's moment, in the town hall's zone. */
  dayTime(date) {
    return `${this.short.format(date)} ${this.time(date)}`;
  }

  sameDay(a, b) {
    return this.ymd.format(a) === this.ymd.format(b);
  }

  /** {date: "2026-11-23", time: "11:00"}: the town hall's calendar and clock, as a form's fields hold them. */
  wall(date) {
    return { date: this.ymd.format(date), time: this.hm23.format(date) };
  }
}

function parseTime(iso) {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** "HH:MM" plus `minutes` on a 24-hour clock (past midnight it wraps; the server then says the meeting ends before it starts). */
function addMinutes(hhmm, minutes) {
  const [h, m] = String(hhmm).split(":").map(Number);
  const total = (((h * 60 + m + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

/** Minutes from `start` to `end` ("HH:MM"), or null when it is not after it. */
function lengthOf(start, end) {
  const minutes = (hhmm) => {
    const [h, m] = String(hhmm).split(":").map(Number);
    return h * 60 + m;
  };
  const length = minutes(end) - minutes(start);
  return Number.isFinite(length) && length > 0 ? length : null;
}

/** "2026-05-31" plus `months` calendar months, the day clamped (31 Aug + 6 = 28/29 Feb), as the server counts a ban's default end. */
function addMonthsToDate(ymd, months) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(ymd));
  if (!match) return null;
  const index = Number(match[2]) - 1 + months;
  const year = Number(match[1]) + Math.floor(index / 12);
  const month = ((index % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(match[3]), last);
  return `${year}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** A search over case numbers: case and spaces, dashes and slashes do not matter. */
function compact(text) {
  return String(text ?? "").toLowerCase().replace(/[\s\-–—/._]+/g, "");
}

/** 0:07, 12:30, 1:02:03 */
function elapsed(since, now) {
  let s = Math.max(0, Math.floor((now - since) / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/**
 * A response time for people: "45 s", "1 min 05 s", "1 t 02 min" (the
 * server's seconds, rounded); null when there is nothing to show.
 */
function duration(seconds, t) {
  const value = seconds === null || seconds === undefined || seconds === "" ? NaN : Number(seconds);
  if (!Number.isFinite(value)) return null;
  const s = Math.max(0, Math.round(value));
  if (s < 60) return fill(t.dur_s, { s });
  if (s < 3600) return fill(t.dur_ms, { m: Math.floor(s / 60), s: String(s % 60).padStart(2, "0") });
  const m = Math.round(s / 60);
  return fill(t.dur_hm, { h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
}

/** "2026-11" as a month's name: "nov." / "Nov" (short), "november 2026" / "November 2026" (long). */
function monthName(ym, lang, long) {
  const match = /^(\d{4})-(\d{2})$/.exec(String(ym));
  if (!match) return String(ym ?? "");
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15));
  const options = long ? { month: "long", year: "numeric", timeZone: "UTC" } : { month: "short", timeZone: "UTC" };
  return new Intl.DateTimeFormat(lang === "da" ? "da-DK" : "en-GB", options).format(date);
}

/** The step of a chart's axis: `ticks` steps from 0 reach `max`, in round numbers. */
function axisStep(max, ticks, steps) {
  const need = Math.max(0, Number(max) || 0) / ticks;
  for (const step of steps) if (step >= need) return step;
  const pow = 10 ** Math.ceil(Math.log10(need || 1));
  return pow;
}

/** A crisis line's number as a tel: link (digits and a leading + only). */
function telHref(phone) {
  const digits = String(phone ?? "").replace(/[^+\d]/g, "");
  return digits ? `tel:${digits}` : "";
}

/** "2026-11-23" minus `days` calendar days (a form's date, in no time zone). */
function minusDays(ymd, days) {
  const at = Date.parse(`${ymd}T12:00:00Z`);
  return Number.isNaN(at) ? "" : new Date(at - days * 86400000).toISOString().slice(0, 10);
}

// Inline icons: the fonts on a kiosk may have no emoji.
const ICONS = {
  warning:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2 23 21H1Z" fill="currentColor"/><path d="M11 8h2v7h-2zm0 9h2v2h-2z" fill="#000"/></svg>',
  check:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4Z" fill="currentColor"/></svg>',
  speaker:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 9v6h4l5 5V4L7 9Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4ZM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6Z" fill="currentColor"/></svg>',
  police:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 1 3 5v6c0 5.5 3.8 10.7 9 12 5.2-1.3 9-6.5 9-12V5Zm0 5 1.5 3.1 3.4.5-2.5 2.4.6 3.4-3-1.6-3 1.6.6-3.4-2.5-2.4 3.4-.5Z" fill="currentColor"/></svg>',
  people:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16 11a3 3 0 1 0-3-3 3 3 0 0 0 3 3Zm-8 0a3 3 0 1 0-3-3 3 3 0 0 0 3 3Zm0 2c-2.3 0-7 1.2-7 3.5V19h14v-2.5C15 14.2 10.3 13 8 13Zm8 0c-.3 0-.6 0-1 .1a4.2 4.2 0 0 1 2 3.4V19h6v-2.5c0-2.3-4.7-3.5-7-3.5Z" fill="currentColor"/></svg>',
  menu:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" fill="currentColor"/></svg>',
  calendar:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M19 4h-1V2h-2v2H8V2H6v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2Zm0 16H5V10h14Z" fill="currentColor"/></svg>',
  history:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M13 3a9 9 0 0 0-9 9H1l4 4 4-4H6a7 7 0 1 1 2.1 5l-1.4 1.4A9 9 0 1 0 13 3Zm-1 5v5l4.3 2.5.7-1.2-3.5-2.1V8Z" fill="currentColor"/></svg>',
  mute:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 9v6h4l5 5V4L7 9Zm13.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4Z" fill="currentColor"/></svg>',
  ban:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 2.5a7.5 7.5 0 0 1 5.9 12.1L7.4 6.1A7.5 7.5 0 0 1 12 4.5Zm0 15a7.5 7.5 0 0 1-5.9-12.1l10.5 10.5A7.5 7.5 0 0 1 12 19.5Z" fill="currentColor"/></svg>',
  followup:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M19 3h-4.2a3 3 0 0 0-5.6 0H5a2 2 0 0 0-2 2v15a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2Zm-7 0a1 1 0 1 1-1 1 1 1 0 0 1 1-1Zm-2 14.4-4-4 1.4-1.4 2.6 2.6 6.6-6.6L18 9.4Z" fill="currentColor"/></svg>',
  chart:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 3h2v16h16v2H3Zm4 9h3v6H7Zm5-5h3v11h-3Zm5 3h3v8h-3Z" fill="currentColor"/></svg>',
  phone:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.2 11.4 11.4 0 0 0 3.6.6 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1 11.4 11.4 0 0 0 .6 3.6 1 1 0 0 1-.3 1Z" fill="currentColor"/></svg>',
  film:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1Zm6 4.5v7l6-3.5Z" fill="currentColor"/></svg>',
  camera:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 3 7.2 5H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3Zm3 15a5 5 0 1 1 5-5 5 5 0 0 1-5 5Zm0-8a3 3 0 1 0 3 3 3 3 0 0 0-3-3Z" fill="currentColor"/></svg>',
  download:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M11 3h2v9.2l3.3-3.3 1.4 1.4L12 16 6.3 10.3l1.4-1.4 3.3 3.3ZM4 18h16v2H4Z" fill="currentColor"/></svg>',
  eye:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5C7 5 2.7 8.1 1 12.5 2.7 16.9 7 20 12 20s9.3-3.1 11-7.5C21.3 8.1 17 5 12 5Zm0 12.5a5 5 0 1 1 5-5 5 5 0 0 1-5 5Zm0-8a3 3 0 1 0 3 3 3 3 0 0 0-3-3Z" fill="currentColor"/></svg>',
};

const OPEN_STATES = new Set(["triggered", "acknowledged", "on_scene"]);
// Closing steps are confirmed in a dialog (resolving with how it ended); the
// others stay one tap: an officer on the way must not be slowed down.
const CONFIRMED = new Set(["resolve", "cancel", "debriefed"]);
// (Ending an attendance ban early, and choosing whom a debrief was held with,
// use the same dialog.)
const DIALOG_KEY = {
  resolve: "resolve", cancel: "cancel", debriefed: "debrief", end_ban: "end_ban", debrief_persons: "persons",
};
const RESOLUTIONS = ["citizen_left", "police_called", "other"];
// The steps offered for each state, and the flag (panel state) each needs.
const NEXT_STEPS = {
  triggered: ["acknowledge", "on_scene", "resolve", "cancel"],
  acknowledged: ["on_scene", "resolve", "cancel"],
  on_scene: ["resolve", "cancel"],
  resolved: ["debriefed"],
};
const FLAG = {
  acknowledge: "can_act", on_scene: "can_act", resolve: "can_resolve", cancel: "can_cancel", debriefed: "can_debrief",
};
const TEST_SOUND_MS = 2000;
// The meeting form's quick lengths (minutes), and what a new meeting lasts.
const DURATIONS = [30, 45, 60, 90, 120];
const DEFAULT_LENGTH = 60;
// The form asks the server for its warnings this long after the last change.
const PREVIEW_DELAY_MS = 300;
// Refusals of the meeting commands the panel words itself.
const KNOWN_ERRORS = new Set([
  "not_permitted", "invalid_transition", "unknown_incident", "resolution_required", "cpr_refused", "unknown_room",
  "meeting_ends_before_it_starts", "meeting_time_invalid", "note_too_long", "not_loaded",
]);
const STATE_ORDER = { triggered: 0, acknowledged: 1, on_scene: 2 };
// Attendance bans: the server's default length, and the fields of the form.
const BAN_MONTHS = 6;
const BAN_FIELDS = ["case_reference", "centre", "start", "end", "note", "letter_filed"];
// Follow-up (R6): the checklist's items, in the server's order.
const FOLLOWUP_ITEMS = [
  "debrief", "crisis_help_offered", "relatives_contacted", "police_report", "safety_organisation_told",
  "work_accident_report", "video_requested",
];
// Signed paths (evidence images and clips) are asked for this long, and
// signed anew once older than RESIGN_MS; the log's download link is used at once.
const SIGN_SECONDS = 300;
const RESIGN_MS = 240000;
const EXPORT_SIGN_SECONDS = 60;
const EXPORT_PATH = "/api/raadhus_alarm/export.csv";
const EXPORT_DAYS = 30;
const DRILL_FILTERS = ["include", "exclude", "only"];
// The statistics' figures, in the order they are shown.
const STAT_KEYS = ["count", "cancelled", "ack_median", "ack_p90", "on_scene_median", "on_scene_p90"];

// ---------------------------------------------------------------------------
// 3. Siren
// ---------------------------------------------------------------------------

/**
 * A two-tone siren made with WebAudio (no sound file to serve or cache).
 *
 * Browsers start an AudioContext "suspended" until the user has interacted
 * with the page. The panel asks to resume it as soon as it is shown (after a
 * reload too): a kiosk browser started with
 * --autoplay-policy=no-user-gesture-required, or one that remembers the site,
 * lets it run at once; otherwise the panel shows a "tap to enable sound"
 * banner, and any click or key press on the panel unlocks it.
 */
class Siren {
  constructor(onChange, onRunning) {
    this.ctx = null;
    this.nodes = null;
    this.testing = false; // a short test of the sound, not an alarm
    this.onChange = onChange;
    this.onRunning = onRunning;
  }

  /** Create the context early and ask to run: it may be allowed without a click. */
  prepare() {
    if (!this.ctx) {
      const AudioCtx = window.AudioContext || window.webkitAudioContext;
      if (!AudioCtx) return;
      try {
        this.ctx = new AudioCtx();
        // Allowed later (a click, or the browser's own policy): the siren
        // must start then if an alarm is waiting.
        this.ctx.onstatechange = () => this.onRunning();
      } catch (err) {
        this.ctx = null;
        return;
      }
    }
    if (this.ctx.state === "suspended") {
      // Not awaited: where autoplay is refused the promise only settles once
      // the user interacts; statechange tells us when it runs.
      this.ctx.resume().catch(() => {});
    }
  }

  get enabled() {
    return Boolean(this.ctx && this.ctx.state === "running");
  }

  get playing() {
    return Boolean(this.nodes);
  }

  /** Call from a user gesture (click, key press). */
  async unlock() {
    this.prepare();
    if (!this.ctx) return false;
    if (this.ctx.state !== "running") {
      try {
        await this.ctx.resume();
      } catch (err) {
        return false;
      }
    }
    this.onChange();
    return this.enabled;
  }

  start() {
    if (this.nodes || !this.enabled) return;
    const ctx = this.ctx;
    const now = ctx.currentTime;
    // Carrier: a square wave, loud in a noisy room without being shrill.
    const tone = ctx.createOscillator();
    tone.type = "square";
    tone.frequency.value = 800;
    // A square LFO switches the carrier between ~660 Hz and ~940 Hz twice a
    // second: the familiar two-tone alarm, with no timers that a background
    // tab could throttle.
    const lfo = ctx.createOscillator();
    lfo.type = "square";
    lfo.frequency.value = 1.25;
    const depth = ctx.createGain();
    depth.gain.value = 140;
    lfo.connect(depth).connect(tone.frequency);
    // Soften the square wave's harshest overtones.
    const filter = ctx.createBiquadFilter();
    filter.type = "lowpass";
    filter.frequency.value = 3000;
    const volume = ctx.createGain();
    volume.gain.setValueAtTime(0, now);
    volume.gain.linearRampToValueAtTime(0.35, now + 0.05);
    tone.connect(filter).connect(volume).connect(ctx.destination);
    tone.start(now);
    lfo.start(now);
    this.nodes = { tone, lfo, volume };
    this.onChange();
  }

  stop() {
    this.testing = false;
    if (!this.nodes) return;
    const { tone, lfo, volume } = this.nodes;
    this.nodes = null;
    try {
      const now = this.ctx.currentTime;
      volume.gain.cancelScheduledValues(now);
      volume.gain.setValueAtTime(volume.gain.value, now);
      volume.gain.linearRampToValueAtTime(0, now + 0.05);
      tone.stop(now + 0.06);
      lfo.stop(now + 0.06);
    } catch (err) {
      // Already stopped: nothing to do.
    }
    this.onChange();
  }

  close() {
    this.stop();
    if (this.ctx) this.ctx.close().catch(() => {});
    this.ctx = null;
  }
}

// ---------------------------------------------------------------------------
// 4. Styles
// ---------------------------------------------------------------------------

// Always dark and high contrast, whatever Home Assistant theme the user has:
// this is a wall screen that must be readable from across the room.
const STYLES = `
:host {
  /* Home Assistant gives a custom panel no height of its own: fill the
     screen, and grow (the page scrolls) if a small screen needs more. */
  display: block;
  min-height: 100vh;
  min-height: 100dvh;
  background: #06080b;
  color: #ffffff;
  font-family: var(--ha-font-family-body, Roboto, "DejaVu Sans", "Noto Sans", system-ui, sans-serif);
  -webkit-font-smoothing: antialiased;
  --ok: #3ddc84;
  --ok-bg: #0d2418;
  --ok-border: #2a7d4f;
  --alarm: #e00000;
  --alarm-hi: #ff3030;
  --amber: #ffb300;
  --blue: #1565c0;
  --warn: #ffd600;
  --muted: #c5ced8;
  --line: #2a323c;
}
* { box-sizing: border-box; }
svg { width: 1.1em; height: 1.1em; flex: none; vertical-align: -0.15em; }
button { font: inherit; cursor: pointer; }
button:focus-visible { outline: 4px solid #fff; outline-offset: 3px; }

.root {
  container: panel / inline-size;
  min-height: 100vh;
  min-height: 100dvh;
  padding: 14px 20px 20px;
  display: flex;
  flex-direction: column;
  gap: 14px;
}

/* ---- header ---- */
header {
  display: flex;
  align-items: center;
  gap: 16px 20px;
  flex-wrap: wrap;
  padding-bottom: 12px;
  border-bottom: 2px solid var(--line);
}
.menu {
  display: none;
  background: none;
  border: 2px solid var(--line);
  color: #fff;
  border-radius: 10px;
  padding: 8px;
  font-size: 1.6rem;
  line-height: 0;
}
.narrow .menu { display: inline-block; }
.hall { margin: 0; font-size: 2.1rem; font-weight: 800; line-height: 1.1; }
.date { color: var(--muted); font-size: 1.15rem; margin-top: 2px; }
.duty, .police { display: flex; align-items: center; gap: 12px; }
.duty svg, .police svg { width: 2.2rem; height: 2.2rem; }
.label {
  display: block;
  color: var(--muted);
  font-size: 0.95rem;
  font-weight: 700;
  text-transform: uppercase;
  letter-spacing: 0.06em;
}
.names { font-size: 1.55rem; font-weight: 800; }
.duty.off-hours .names { color: var(--amber); }
.police {
  border-radius: 12px;
  padding: 8px 16px;
  font-size: 1.35rem;
  font-weight: 800;
}
.police.present { background: var(--blue); border: 3px solid #90caf9; }
.police.absent { color: var(--muted); border: 2px solid var(--line); font-weight: 600; }
.right { margin-left: auto; display: flex; align-items: center; gap: 12px; }
.clock {
  font-size: 3.2rem;
  font-weight: 800;
  font-variant-numeric: tabular-nums;
  letter-spacing: 0.02em;
}
.sound-btn {
  display: inline-flex;
  align-items: center;
  gap: 10px;
  background: var(--warn);
  color: #000;
  border: 3px solid #fff;
  border-radius: 12px;
  padding: 10px 18px;
  font-size: 1.35rem;
  font-weight: 800;
}
.sound-on { display: inline-flex; align-items: center; gap: 8px; color: var(--ok); font-size: 1.15rem; font-weight: 700; }

/* ---- banners ---- */
.banner {
  display: flex;
  align-items: center;
  gap: 20px;
  border-radius: 12px;
  padding: 12px 20px;
  font-size: 1.6rem;
  font-weight: 800;
}
.banner[hidden] { display: none; }
.alarm-banner {
  background: var(--alarm);
  color: #fff;
  font-size: 2rem;
  padding: 6px 16px;
  animation: pulse-bg 1s ease-in-out infinite;
}
.alarm-banner .sound-btn, .alarm-banner .mute-btn { margin-left: auto; font-size: 1.5rem; padding: 6px 16px; }
.conn-banner {
  color: #000;
  background: repeating-linear-gradient(-45deg, var(--warn) 0 22px, #fff176 22px 44px);
}

/* ---- layout: rooms left, meetings and button health right ---- */
main {
  flex: 1;
  display: grid;
  grid-template-columns: minmax(0, 1fr) 380px;
  gap: 18px;
  align-items: start;
}
@container panel (max-width: 1150px) {
  main { grid-template-columns: minmax(0, 1fr); }
}
.rooms {
  container: rooms / inline-size;
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
  grid-auto-rows: minmax(200px, auto);
  grid-auto-flow: row dense;
  gap: 16px;
}
.message { font-size: 1.8rem; color: var(--muted); padding: 40px 10px; }
.message.error { color: var(--warn); }

/* ---- room tiles ---- */
.tile {
  container-type: inline-size;
  position: relative;
  display: flex;
  flex-direction: column;
  gap: 10px;
  padding: 16px 18px 18px;
  border-radius: 16px;
  background: var(--ok-bg);
  border: 4px solid var(--ok-border);
}
.tile-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; }
/* Room names: at least 2.5rem on a wall, up to 2.9rem in wide tiles; a
   little less on a tablet's narrow tiles, so "Venteområde" stays one word. */
.name { margin: 0; font-size: clamp(2.5rem, 13cqi, 2.9rem); font-weight: 800; line-height: 1.05; letter-spacing: -0.01em; }
.status { display: flex; flex-direction: column; gap: 6px; }
.word { font-size: 1.9rem; font-weight: 800; letter-spacing: 0.03em; line-height: 1.1; }
.tile[data-state="idle"] .word { color: var(--ok); font-weight: 700; }
.status:empty { display: none; }
.line { font-size: 1.35rem; font-weight: 600; }
.line.big { font-size: 2.1rem; font-weight: 800; }
.line.muted { opacity: 0.85; font-weight: 500; }
.elapsed { font-variant-numeric: tabular-nums; }
.badges { display: flex; flex-wrap: wrap; gap: 8px; }
.badges:empty { display: none; }
.badge {
  display: inline-flex;
  align-items: center;
  gap: 8px;
  border-radius: 10px;
  padding: 6px 12px;
  font-size: 1.2rem;
  font-weight: 800;
}
.badge.unhealthy { background: var(--warn); color: #000; border: 2px solid #000; }
.badge.unhealthy .detail { font-weight: 600; }
.badge.monitored { background: #6a1b9a; color: #fff; border: 2px solid #ce93d8; }
.badge.drill { background: #fff; color: #000; }
.badge.joins { background: rgba(0, 0, 0, 0.35); color: #fff; }
.tile.unhealthy[data-state="idle"] { border: 4px dashed var(--warn); }
.tile.monitored[data-state="idle"] { border-color: #ce93d8; }

.controls { display: flex; flex-wrap: wrap; gap: 12px; margin-top: auto; }
.controls:empty { display: none; }
.act {
  min-height: 76px;
  min-width: 150px;
  flex: 1 1 auto;
  border-radius: 14px;
  padding: 10px 22px;
  font-size: 1.7rem;
  font-weight: 800;
  border: 4px solid #fff;
}
.act[data-action="acknowledge"] { background: #fff; color: #b00000; font-size: 2.2rem; flex-basis: 100%; }
/* In a single-column tile the later steps share one row. */
@container (max-width: 440px) {
  .act:not([data-action="acknowledge"]) { flex: 1 1 0; min-width: 0; padding: 8px 6px; font-size: 1.35rem; }
}
.act[data-action="on_scene"] { background: var(--blue); color: #fff; }
.act[data-action="resolve"] { background: #111; color: #fff; }
.act[disabled] { opacity: 0.55; cursor: progress; }
.note { font-size: 1.1rem; font-weight: 600; opacity: 0.9; }
.error { font-size: 1.25rem; font-weight: 800; background: #000; color: var(--warn); border-radius: 8px; padding: 6px 12px; }
.error:empty { display: none; }

.cam { display: none; }
.cam.shown {
  display: block;
  position: relative;
  border-radius: 12px;
  overflow: hidden;
  background: #000;
  border: 3px solid rgba(255, 255, 255, 0.85);
  aspect-ratio: 16 / 9;
}
.cam img { display: block; width: 100%; height: 100%; object-fit: contain; }
/* Height-limited (tablet): keep 16:9 by narrowing instead of stretching. */
.cam.shown { max-width: 100%; justify-self: end; }
.cam .cam-msg { position: absolute; inset: 0; display: grid; place-items: center; font-size: 1.3rem; font-weight: 700; color: #fff; }

/* ALARM: red, large and moving — it must be seen from across the room. The
   pulse changes colour and glow only, never size or position: the buttons in
   the tile must stay still under a finger. */
.tile[data-state="triggered"] {
  background: var(--alarm);
  border: 6px solid #fff;
  color: #fff;
  animation: pulse 1s ease-in-out infinite;
}
.tile[data-state="triggered"] .word { font-size: 6rem; line-height: 1; letter-spacing: 0.08em; font-weight: 900; }
.tile[data-state="acknowledged"] { background: var(--amber); color: #000; border: 6px solid #fff; }
.tile[data-state="acknowledged"] .badge.joins { background: rgba(0, 0, 0, 0.8); }
.tile[data-state="acknowledged"] .error { background: #000; }
.tile[data-state="on_scene"] { background: var(--blue); color: #fff; border: 6px solid #90caf9; }

@keyframes pulse {
  0%, 100% { background-color: #c00000; box-shadow: 0 0 0 0 rgba(255, 48, 48, 0.95); }
  50% { background-color: var(--alarm-hi); box-shadow: 0 0 0 18px rgba(255, 48, 48, 0); }
}
@keyframes pulse-bg {
  0%, 100% { background-color: #c00000; }
  50% { background-color: var(--alarm-hi); }
}
@media (prefers-reduced-motion: reduce) {
  .tile[data-state="triggered"], .alarm-banner { animation: none; }
  .tile[data-state="triggered"] { border-width: 14px; border-color: #fff; background: var(--alarm); }
  .alarm-banner { border: 8px solid #fff; }
}

/* Where there is room, an open incident is twice as tall (its camera under
   the text) and ALARM also twice as wide (camera beside the text). Five rooms
   with an alarm, an acknowledged and an on-scene incident still fit a 1080p
   wall without scrolling. */
@container rooms (min-width: 700px) {
  .tile.open { grid-row: span 2; }
  .tile[data-state="triggered"] { grid-column: span 2; }
  .tile[data-state="triggered"].has-cam {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr);
    grid-template-rows: auto auto auto auto auto 1fr auto auto;
    grid-template-areas:
      "head head"
      "word word"
      "badges cam"
      "status cam"
      "reach cam"
      ". cam"
      "controls controls"
      "error error";
    gap: 10px 20px;
    align-items: start;
  }
  .tile[data-state="triggered"].has-cam .tile-head { grid-area: head; }
  .tile[data-state="triggered"].has-cam .word { grid-area: word; }
  .tile[data-state="triggered"].has-cam .badges { grid-area: badges; }
  .tile[data-state="triggered"].has-cam .status { grid-area: status; }
  .tile[data-state="triggered"].has-cam .cam { grid-area: cam; }
  .tile[data-state="triggered"].has-cam .reach { grid-area: reach; }
  .tile[data-state="triggered"].has-cam .controls { grid-area: controls; margin-top: 4px; }
  .tile[data-state="triggered"].has-cam .error { grid-area: error; }
}

/* ---- side column ---- */
aside { display: flex; flex-direction: column; gap: 16px; }
@container panel (max-width: 1150px) {
  aside { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
}
.card { border: 2px solid var(--line); border-radius: 14px; padding: 14px 18px; background: #0c1015; }
.card h2 { margin: 0 0 10px; font-size: 1.5rem; font-weight: 800; display: flex; align-items: center; gap: 10px; }
.card ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.card li { font-size: 1.25rem; line-height: 1.3; }
.card .empty { color: var(--muted); font-size: 1.2rem; }
.meeting .when { font-weight: 800; font-variant-numeric: tabular-nums; margin-right: 8px; }
.meeting .room { font-weight: 700; }
.meeting.monitored { border-left: 6px solid #ce93d8; padding-left: 10px; }
.health-ok { color: var(--ok); font-size: 1.3rem; font-weight: 700; display: flex; gap: 10px; align-items: center; }
.health-bad { color: #000; background: var(--warn); border-radius: 8px; padding: 6px 10px; font-weight: 700; }

/* ---- tablet and phone: the alarm and its buttons must fit one screen ---- */
@container panel (max-width: 1150px) {
  .root { padding: 10px 12px 14px; gap: 10px; }
  header { gap: 10px 20px; padding-bottom: 8px; }
  .hall { font-size: 1.6rem; }
  .date { font-size: 1rem; }
  .clock { font-size: 2.4rem; }
  .names { font-size: 1.25rem; }
  .duty svg, .police svg { width: 1.7rem; height: 1.7rem; }
  .police { font-size: 1.1rem; padding: 6px 12px; }
  .sound-btn { font-size: 1.1rem; padding: 6px 12px; }
  .tile[data-state="triggered"] .word { font-size: 4.5rem; }
  .cam.shown { max-height: 30vh; }
  .name { font-size: min(2.5rem, 12.5cqi); }
}
@container panel (max-width: 820px) {
  .rooms { grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }
  .tile[data-state="triggered"] .word { font-size: 3.6rem; }
  .act { min-height: 64px; min-width: 140px; font-size: 1.45rem; }
  .act[data-action="acknowledge"] { font-size: 1.8rem; }
  .alarm-banner { font-size: 1.7rem; flex-wrap: wrap; }
}

/* ---- closing an alarm, debriefing ---- */
.act[data-action="cancel"] { background: transparent; color: inherit; border-style: dashed; }
.act[data-action="debriefed"] { background: #2e7d32; color: #fff; min-height: 56px; font-size: 1.3rem; flex: 0 1 auto; }
.badge.repeated { background: #000; color: var(--warn); border: 2px solid var(--warn); }
.reach { display: flex; flex-direction: column; gap: 6px; }
.reach:empty { display: none; }
.reach .line { font-size: 1.15rem; }
.line.widened { font-weight: 700; }
/* A narrow tile has room for two steps a row: a third (the false alarm
   after on scene and resolve) gets a lower row of its own, and the tile
   packs a little tighter so five rooms still fit a 1080p wall. */
.tile:has(.act[data-action="on_scene"] ~ .act[data-action="cancel"]) { gap: 8px; }
@container (max-width: 440px) {
  .controls:has(.act[data-action="on_scene"] ~ .act[data-action="cancel"]) { gap: 8px; }
  .act[data-action="on_scene"], .act[data-action="on_scene"] ~ .act[data-action="resolve"] { min-height: 60px; }
  .act[data-action="on_scene"] ~ .act[data-action="cancel"] {
    flex: 1 1 100%;
    min-height: 48px;
    padding: 4px 6px;
    font-size: 1.15rem;
  }
}
.line.unreachable {
  align-self: flex-start;
  background: #000;
  color: var(--warn);
  border-radius: 8px;
  padding: 4px 10px;
  font-weight: 800;
}

/* ---- header buttons: history, test sound, mute ---- */
/* The sound's state above its test button: no width taken from the header. */
.sound { display: flex; flex-direction: column; align-items: flex-end; gap: 2px; }
.sound .sound-on, .sound .sound-muted { font-size: 0.95rem; gap: 6px; line-height: 1.1; }
.sound-state { display: flex; font-size: 0.95rem; line-height: 1.1; }
.sound-state:empty { display: none; }
.sound .hdr-btn { min-height: 40px; padding: 4px 12px; }
.hdr-btn {
  display: inline-flex;
  align-items: center;
  gap: 8px;
  min-height: 48px;
  background: #1b2430;
  color: #fff;
  border: 2px solid #90a4ae;
  border-radius: 12px;
  padding: 8px 14px;
  font-size: 1.15rem;
  font-weight: 700;
}
.hdr-btn[aria-pressed="true"] { background: #fff; color: #000; border-color: #fff; }
.mute-btn[aria-pressed="true"] { background: var(--warn); color: #000; }
.sound-muted { display: inline-flex; align-items: center; color: var(--warn); font-weight: 800; }
.sound-banner { background: #1a1600; border: 3px solid var(--warn); color: var(--warn); font-size: 1.35rem; }

/* ---- confirmation dialog ---- */
.overlay, .form-overlay, .ban-overlay {
  position: fixed;
  inset: 0;
  z-index: 10;
  display: grid;
  place-items: center;
  padding: 16px;
  background: rgba(0, 0, 0, 0.78);
}
.overlay[hidden], .form-overlay[hidden], .ban-overlay[hidden] { display: none; }
.dialog {
  width: min(720px, 100%);
  max-height: 100%;
  overflow: auto;
  display: flex;
  flex-direction: column;
  gap: 14px;
  background: #0c1015;
  border: 4px solid #fff;
  border-radius: 18px;
  padding: 22px 26px;
}
.dialog h2 { margin: 0; font-size: 2rem; font-weight: 800; line-height: 1.15; }
.dialog .help { margin: 0; font-size: 1.3rem; color: var(--muted); }
.choices { display: flex; flex-direction: column; gap: 10px; }
.choice {
  min-height: 64px;
  text-align: left;
  background: #1b2430;
  color: #fff;
  border: 3px solid #90a4ae;
  border-radius: 12px;
  padding: 10px 18px;
  font-size: 1.5rem;
  font-weight: 700;
}
.choice[aria-checked="true"] { background: #fff; color: #000; border-color: var(--ok); outline: 4px solid var(--ok); }
.note-field { display: flex; flex-direction: column; gap: 6px; font-size: 1.15rem; color: var(--muted); font-weight: 700; }
.note-field textarea {
  font: inherit;
  font-size: 1.25rem;
  color: #fff;
  background: #000;
  border: 2px solid #90a4ae;
  border-radius: 10px;
  padding: 8px 10px;
  resize: vertical;
}
.dialog-actions { display: flex; flex-wrap: wrap; gap: 12px; }
.dialog-actions button {
  flex: 1 1 220px;
  min-height: 68px;
  border-radius: 14px;
  border: 4px solid #fff;
  font-size: 1.45rem;
  font-weight: 800;
}
.dialog .dismiss { background: transparent; color: #fff; }
.dialog .confirm { background: #fff; color: #000; }
.dialog .confirm[disabled] { opacity: 0.45; cursor: not-allowed; }

/* ---- history ---- */
main[hidden], .history[hidden] { display: none; }
.history { display: flex; flex-direction: column; gap: 12px; }
.history-head { display: flex; align-items: center; flex-wrap: wrap; gap: 12px 20px; }
.history-head h2 { margin: 0; flex: 1 1 auto; font-size: 1.9rem; font-weight: 800; }
.history-head label { display: flex; align-items: center; gap: 10px; color: var(--muted); font-size: 1.2rem; font-weight: 700; }
.history-head select {
  min-height: 48px;
  font: inherit;
  font-size: 1.3rem;
  background: #000;
  color: #fff;
  border: 2px solid #90a4ae;
  border-radius: 10px;
  padding: 6px 12px;
}
.history-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.h-row {
  display: grid;
  grid-template-columns: 13rem 14rem minmax(0, 1fr) auto;
  align-items: center;
  gap: 6px 18px;
  background: #0c1015;
  border: 2px solid var(--line);
  border-left: 10px solid var(--ok-border);
  border-radius: 12px;
  padding: 12px 16px;
  font-size: 1.2rem;
}
.h-row[data-state="cancelled"] { border-left-color: #90a4ae; }
.h-row[data-state="triggered"] { border-left-color: var(--alarm); }
.h-row[data-state="acknowledged"] { border-left-color: var(--amber); }
.h-row[data-state="on_scene"] { border-left-color: var(--blue); }
.h-row[data-drill="true"] { background: repeating-linear-gradient(-45deg, #0c1015 0 18px, #161c24 18px 36px); }
.h-when { font-weight: 800; font-variant-numeric: tabular-nums; }
.h-room { font-size: 1.35rem; font-weight: 800; }
.h-state { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; font-weight: 800; }
.h-detail { grid-column: 1 / 4; color: var(--muted); }
.h-actions { grid-column: 4; grid-row: 1 / 3; display: flex; flex-wrap: wrap; gap: 10px; justify-content: flex-end; }
.h-actions .act { min-height: 56px; min-width: 0; font-size: 1.2rem; padding: 6px 14px; border-width: 3px; }
.h-actions .act[data-action="acknowledge"] { flex-basis: auto; font-size: 1.2rem; }
.badge.due { background: var(--amber); color: #000; }
.history .empty { color: var(--muted); font-size: 1.4rem; padding: 20px 4px; }
@container panel (max-width: 820px) {
  .h-row { grid-template-columns: minmax(0, 1fr); }
  .h-detail, .h-actions { grid-column: auto; grid-row: auto; justify-content: flex-start; }
}

/* ---- announced meetings: today's list, the tile, the form ---- */
.badge.announced { background: #263238; color: #fff; border: 2px solid #90a4ae; }
.badge .detail { font-weight: 600; }
.meeting .tag { display: inline-block; margin-left: 8px; border-radius: 6px; padding: 0 8px; font-size: 1rem; font-weight: 800; vertical-align: 0.1em; }
.meeting .tag.monitored { background: #6a1b9a; color: #fff; }
.meeting .tag.now { background: var(--ok); color: #000; }
.meeting .by { color: var(--muted); font-size: 1.05rem; }
.meeting.active { background: #15101f; border-radius: 8px; padding-top: 4px; padding-bottom: 4px; }
.card .announce-btn { width: 100%; justify-content: center; margin-top: 12px; }
.meeting-form { width: min(920px, 100%); }
.meeting-form h2 { display: flex; align-items: center; gap: 12px; }
/* Time fields wide enough for a browser that shows "02:00 PM". */
.form-grid { display: grid; grid-template-columns: minmax(0, 1.5fr) minmax(0, 1.3fr) minmax(0, 1.1fr) minmax(0, 1.1fr); gap: 12px; }
@container panel (max-width: 820px) {
  .form-grid { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
}
.field { display: flex; flex-direction: column; gap: 6px; color: var(--muted); font-size: 1.1rem; font-weight: 700; }
.field input, .field select {
  min-height: 52px;
  font: inherit;
  font-size: 1.3rem;
  color: #fff;
  background: #000;
  border: 2px solid #90a4ae;
  border-radius: 10px;
  padding: 6px 10px;
  color-scheme: dark;
}
.durations { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.durations .field-label { margin-right: 4px; color: var(--muted); font-size: 1.1rem; font-weight: 700; }
.chip { min-height: 44px; padding: 4px 16px; border-radius: 22px; background: #1b2430; color: #fff; border: 2px solid #90a4ae; font-size: 1.15rem; font-weight: 700; }
.chip[aria-pressed="true"] { background: #fff; color: #000; border-color: #fff; }
.check { display: flex; align-items: center; gap: 12px; font-size: 1.25rem; font-weight: 700; }
.check input { width: 28px; height: 28px; flex: none; accent-color: #ce93d8; }
.hint { color: var(--muted); font-size: 1rem; font-weight: 500; }
.warnings { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.warning { display: flex; align-items: flex-start; gap: 12px; background: #1a1600; border: 3px solid var(--warn); border-radius: 12px; padding: 10px 14px; font-size: 1.2rem; }
.warning > svg { width: 1.6rem; height: 1.6rem; color: var(--warn); }
.warning-text { display: flex; flex-direction: column; gap: 6px; }
.warning .use-suggestion { align-self: flex-start; margin-top: 4px; }
.form-ok { display: flex; align-items: center; gap: 10px; color: var(--ok); font-size: 1.2rem; font-weight: 700; }
.form-checking { color: var(--muted); font-size: 1.2rem; }

/* ---- attendance bans (R8): the header button, the list, the form ---- */
.bans-btn { gap: 6px; }
.bans-btn .count {
  min-width: 1.7em;
  border-radius: 999px;
  padding: 0 8px;
  background: var(--warn);
  color: #000;
  font-weight: 900;
  text-align: center;
  font-variant-numeric: tabular-nums;
}
.bans-btn[aria-pressed="true"] .count { background: #000; color: #fff; }
.bans[hidden], .hdr-btn[hidden] { display: none; }
.bans { display: flex; flex-direction: column; gap: 12px; }
.bans-head { display: flex; align-items: center; flex-wrap: wrap; gap: 12px 20px; }
.bans-head h2 { margin: 0; flex: 1 1 auto; font-size: 1.9rem; font-weight: 800; display: flex; align-items: center; gap: 12px; }
.bans-head .ban-new { background: #fff; color: #000; border-color: #fff; }
.ban-find { display: flex; align-items: flex-end; flex-wrap: wrap; gap: 8px 16px; }
.ban-find .field { flex: 1 1 420px; max-width: 760px; }
.ban-find input {
  min-height: 60px;
  font-size: 1.6rem;
  font-weight: 700;
  border-width: 3px;
}
.field input:focus-visible, .field textarea:focus-visible, .note-field textarea:focus-visible { outline: 4px solid #fff; outline-offset: 2px; }
.ban-shown { color: var(--muted); font-size: 1.2rem; font-weight: 700; padding-bottom: 16px; }
.ban-status { font-size: 1.25rem; font-weight: 700; color: var(--ok); display: flex; align-items: center; gap: 10px; }
.ban-status:empty { display: none; }
.ban-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.ban-row {
  display: grid;
  grid-template-columns: minmax(12rem, 18rem) minmax(0, 1fr) minmax(0, 15rem) minmax(0, 1.3fr) auto;
  grid-template-areas: "case centre until meta actions" "note note note note actions";
  align-items: center;
  gap: 4px 20px;
  background: #0c1015;
  border: 2px solid var(--line);
  border-left: 10px solid var(--alarm);
  border-radius: 12px;
  padding: 10px 16px;
  font-size: 1.25rem;
}
.ban-case { grid-area: case; font-size: 2.3rem; font-weight: 900; line-height: 1.1; font-variant-numeric: tabular-nums; letter-spacing: 0.02em; overflow-wrap: anywhere; }
.ban-centre { grid-area: centre; font-size: 1.5rem; font-weight: 800; overflow-wrap: anywhere; }
.ban-until { grid-area: until; font-size: 1.35rem; font-weight: 800; font-variant-numeric: tabular-nums; }
.ban-meta { grid-area: meta; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; color: var(--muted); }
.ban-note { grid-area: note; color: var(--muted); font-style: italic; overflow-wrap: anywhere; }
.ban-actions { grid-area: actions; display: flex; flex-wrap: wrap; gap: 10px; justify-content: flex-end; }
.ban-actions button { min-height: 56px; border-radius: 12px; border: 3px solid #fff; padding: 6px 16px; font-size: 1.2rem; font-weight: 800; }
.ban-actions [data-ban-change] { background: #1b2430; color: #fff; }
.ban-actions [data-ban-end] { background: transparent; color: #fff; border-style: dashed; }
.badge.letter { font-size: 1.05rem; padding: 3px 10px; }
.badge.letter.filed { background: var(--ok-bg); color: var(--ok); border: 2px solid var(--ok-border); }
.badge.letter.missing { background: #1a1600; color: var(--warn); border: 2px dashed var(--warn); }
.bans .empty { color: var(--muted); font-size: 1.4rem; padding: 20px 4px; }
.ban-form { width: min(860px, 100%); }
.ban-form h2 { display: flex; align-items: center; gap: 12px; }
.ban-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px 16px; align-items: start; }
.ban-grid .hint { font-weight: 500; }
.check input[data-field="letter_filed"] { accent-color: var(--ok); }
@container panel (max-width: 1150px) {
  .ban-row {
    grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) auto;
    grid-template-areas: "case until actions" "centre meta actions" "note note actions";
  }
  .ban-case { font-size: 2rem; }
}
@container panel (max-width: 820px) {
  .ban-row {
    grid-template-columns: minmax(0, 1fr);
    grid-template-areas: "case" "centre" "until" "meta" "note" "actions";
  }
  .ban-actions { justify-content: flex-start; }
  .ban-grid { grid-template-columns: minmax(0, 1fr); }
}
/* ---- the views' header buttons: an icon over a short word, so four fit the
   wall's one header row; the count on the icon's corner ---- */
.views { display: flex; align-items: stretch; gap: 4px; }
/* Four view buttons for a leader: the header's parts a little closer, so
   the wall keeps its one row (in Danish whether or not the police are in). */
header { column-gap: 16px; }
.right { gap: 10px; }
.hdr-btn.view-btn {
  position: relative;
  flex-direction: column;
  justify-content: center;
  gap: 2px;
  min-height: 56px;
  min-width: 54px;
  padding: 4px 6px;
  font-size: 0.82rem;
  line-height: 1.1;
  white-space: nowrap;
}
.hdr-btn.view-btn svg { width: 1.5rem; height: 1.5rem; }
.view-btn .count {
  position: absolute;
  top: -9px;
  right: -9px;
  min-width: 1.75em;
  border-radius: 999px;
  padding: 1px 6px;
  border: 2px solid #06080b;
  background: var(--warn);
  color: #000;
  font-size: 0.85rem;
  font-weight: 900;
  line-height: 1.2;
  text-align: center;
  font-variant-numeric: tabular-nums;
}
.followup-btn[data-overdue="true"] .count { background: var(--alarm); color: #fff; }
.visually-hidden {
  position: absolute !important;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
  border: 0;
}

/* ---- a view's head (follow-up, statistics) ---- */
.followups[hidden], .stats[hidden], .export[hidden] { display: none; }
.followups, .stats { display: flex; flex-direction: column; gap: 12px; }
.view-head { display: flex; align-items: center; flex-wrap: wrap; gap: 12px 20px; }
.view-head h2 { margin: 0 auto 0 0; flex: 0 1 auto; font-size: 1.9rem; font-weight: 800; display: flex; align-items: center; gap: 12px; }
.view-head h2:focus { outline: none; }
.view-head h2:focus-visible { outline: 3px solid #fff; outline-offset: 4px; }
.view-intro { margin: 0; color: var(--muted); font-size: 1.15rem; }
.view-status { font-size: 1.25rem; font-weight: 700; color: var(--ok); display: flex; align-items: center; gap: 10px; }
.view-status:empty { display: none; }

/* ---- follow-up (R6): one card per incident, its checklist ---- */
.fu-list {
  list-style: none;
  margin: 0;
  padding: 0;
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 760px), 1fr));
  gap: 14px;
  align-items: start;
}
.followups .empty { color: var(--muted); font-size: 1.4rem; padding: 20px 4px; }
.fu-card {
  display: flex;
  flex-direction: column;
  gap: 10px;
  min-width: 0;
  background: #0c1015;
  border: 2px solid var(--line);
  border-left: 10px solid var(--ok-border);
  border-radius: 14px;
  padding: 12px 16px 14px;
}
.fu-card[data-overdue="true"] { border-left-color: var(--warn); }
.fu-card-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
.fu-room { margin: 0; font-size: 1.7rem; font-weight: 800; line-height: 1.1; overflow-wrap: anywhere; }
.fu-when { flex-basis: 100%; color: var(--muted); font-size: 1.1rem; font-weight: 600; }
.fu-progress { font-size: 1.15rem; font-weight: 800; font-variant-numeric: tabular-nums; }
.badge.overdue { background: var(--warn); color: #000; border: 2px solid #000; }
.badge.fu-state { background: #263238; color: #fff; border: 2px solid #90a4ae; font-size: 1.05rem; padding: 3px 10px; }
.badge.fu-state[data-state="debriefed"] { background: var(--ok-bg); color: var(--ok); border-color: var(--ok-border); }
.fu-card-actions { margin-left: auto; display: flex; gap: 10px; }
.fu-card-actions .act { min-height: 48px; min-width: 0; flex: 0 1 auto; font-size: 1.1rem; padding: 4px 14px; border-width: 3px; }
.fu-crisis {
  display: flex;
  align-items: center;
  flex-wrap: wrap;
  gap: 4px 10px;
  background: #0d1b2a;
  border: 2px solid #90caf9;
  border-radius: 10px;
  padding: 8px 12px;
  font-size: 1.2rem;
  font-weight: 700;
}
.fu-crisis svg { width: 1.5rem; height: 1.5rem; color: #90caf9; }
.fu-crisis a { color: #fff; font-variant-numeric: tabular-nums; }
.fu-crisis .muted { color: var(--muted); font-weight: 600; }
.fu-items { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.fu-item { display: grid; grid-template-columns: minmax(0, 1fr) auto; align-items: center; gap: 4px 10px; }
.fu-tick, .fu-static {
  display: flex;
  align-items: center;
  gap: 12px;
  min-height: 52px;
  min-width: 0;
  width: 100%;
  text-align: left;
  border-radius: 10px;
  padding: 6px 12px;
  font-size: 1.2rem;
  font-weight: 700;
  line-height: 1.2;
}
.fu-tick { background: #1b2430; color: #fff; border: 2px solid #90a4ae; }
.fu-tick[aria-checked="true"] { background: var(--ok-bg); border-color: var(--ok-border); }
.fu-tick[disabled] { opacity: 0.6; cursor: progress; }
.fu-box {
  flex: none;
  width: 30px;
  height: 30px;
  display: grid;
  place-items: center;
  border: 3px solid #fff;
  border-radius: 6px;
  color: #000;
}
.fu-box svg { width: 24px; height: 24px; }
.fu-tick[aria-checked="true"] .fu-box { background: var(--ok); border-color: var(--ok); }
.fu-static { color: var(--muted); border: 2px dashed var(--line); }
.fu-static .fu-box { border-color: var(--line); }
.fu-na { margin-left: auto; border-radius: 8px; padding: 2px 10px; background: #263238; color: #fff; font-size: 1rem; white-space: nowrap; }
.fu-persons-btn { min-height: 52px; }
.fu-info {
  grid-column: 1 / -1;
  display: flex;
  flex-wrap: wrap;
  gap: 2px 14px;
  padding-left: 56px;
  color: var(--muted);
  font-size: 1.05rem;
  line-height: 1.3;
}
.fu-info:empty { display: none; }
.fu-help strong { color: #fff; }
.fu-done { color: var(--ok); font-weight: 700; }
.fu-persons { color: #fff; font-weight: 700; }
@container panel (max-width: 820px) {
  .fu-info { padding-left: 4px; }
  .fu-card-actions { margin-left: 0; }
}
/* Whom the debrief was held with: the persons of Home Assistant. */
.person-list {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 250px), 1fr));
  gap: 8px;
  max-height: 44vh;
  overflow: auto;
  padding: 4px;
}
.person-list .check { min-height: 52px; padding: 6px 12px; background: #1b2430; border: 2px solid #90a4ae; border-radius: 10px; font-size: 1.15rem; }
.person-list .check:has(input:checked) { background: var(--ok-bg); border-color: var(--ok); }
.person-list .check[hidden] { display: none; }
.person-list .check input { accent-color: var(--ok); }
.person-list .empty { color: var(--muted); font-size: 1.2rem; }

/* ---- response statistics ---- */
.stat-group { display: flex; flex-direction: column; gap: 8px; }
.stat-group h3 { margin: 0; font-size: 1.35rem; font-weight: 800; }
.stat-figures { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 10px; margin: 0; }
.stat {
  display: flex;
  flex-direction: column;
  justify-content: space-between;
  gap: 4px;
  min-width: 0;
  background: #0c1015;
  border: 2px solid var(--line);
  border-radius: 12px;
  padding: 10px 14px;
}
.stat dt { color: var(--muted); font-size: 1.02rem; font-weight: 700; line-height: 1.2; }
.stat dd { margin: 0; font-size: 2.1rem; font-weight: 900; line-height: 1.1; font-variant-numeric: tabular-nums; }
.stat dd[data-empty="true"] { color: var(--muted); font-weight: 700; }
.stat-group.drills .stat { background: repeating-linear-gradient(-45deg, #0c1015 0 18px, #161c24 18px 36px); }
.stat-group.drills .stat dd { font-size: 1.6rem; }
.stat-chart { margin: 0; display: flex; flex-direction: column; gap: 8px; background: #0c1015; border: 2px solid var(--line); border-radius: 12px; padding: 12px 14px; }
.stat-chart figcaption { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 22px; font-size: 1.1rem; font-weight: 700; }
.stat-chart figcaption .chart-title { flex-basis: 100%; font-size: 1.3rem; font-weight: 800; }
.swatch { display: inline-block; margin-right: 8px; vertical-align: middle; }
.swatch.bar { width: 18px; height: 18px; border-radius: 3px; background: #64b5f6; }
.swatch.line { width: 30px; height: 4px; border-radius: 2px; background: var(--warn); }
svg.chart { display: block; width: 100%; height: auto; max-height: 46vh; overflow: visible; }
svg.chart text { fill: #cfd8dc; font-family: inherit; font-size: 16px; }
svg.chart .bar-label { fill: #fff; font-weight: 800; }
svg.chart .bar-label.inside { fill: #06080b; }
svg.chart .axis-label.time { fill: var(--warn); }
svg.chart .grid { stroke: #263238; stroke-width: 1; }
svg.chart .axis { stroke: #90a4ae; stroke-width: 2; }
svg.chart .bar { fill: #64b5f6; }
svg.chart .ack-line { fill: none; stroke: var(--warn); stroke-width: 3; stroke-linejoin: round; }
svg.chart .ack-point { fill: var(--warn); stroke: #000; stroke-width: 1.5; }
@container panel (max-width: 1150px) {
  .stat-figures { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .stat dd { font-size: 1.8rem; }
}
@container panel (max-width: 600px) {
  .stat-figures { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}

/* ---- video evidence on a history row ---- */
.h-actions .ev-toggle { min-height: 56px; }
.ev-toggle[aria-expanded="true"] { background: #fff; color: #000; border-color: #fff; }
.badge.kept { background: #0d47a1; color: #fff; border: 2px solid #90caf9; }
.h-evidence {
  grid-column: 1 / -1;
  display: flex;
  flex-direction: column;
  gap: 10px;
  border-top: 1px solid var(--line);
  padding-top: 10px;
}
.ev-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
.ev-head h3 { margin: 0; flex: 1 1 auto; font-size: 1.2rem; font-weight: 800; }
.ev-keep { display: inline-flex; align-items: center; gap: 10px; }
.ev-keep .switch {
  position: relative;
  width: 46px;
  height: 26px;
  flex: none;
  border-radius: 13px;
  background: #37474f;
  border: 2px solid #90a4ae;
}
.ev-keep .switch::after {
  content: "";
  position: absolute;
  top: 2px;
  left: 2px;
  width: 18px;
  height: 18px;
  border-radius: 50%;
  background: #fff;
}
.ev-keep[aria-checked="true"] { background: #0d47a1; border-color: #90caf9; }
.ev-keep[aria-checked="true"] .switch { background: var(--ok); border-color: var(--ok); }
.ev-keep[aria-checked="true"] .switch::after { left: 22px; background: #000; }
.ev-files { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; }
.ev-file { display: flex; flex-direction: column; gap: 4px; width: 208px; color: var(--muted); font-size: 0.95rem; line-height: 1.25; }
.ev-file a { color: #fff; }
.ev-file img, .ev-wait {
  display: block;
  width: 208px;
  aspect-ratio: 16 / 9;
  object-fit: cover;
  background: #000;
  border: 2px solid #90a4ae;
  border-radius: 8px;
}
.ev-wait { display: grid; place-items: center; border-style: dashed; }
.ev-clip {
  display: flex;
  align-items: center;
  gap: 10px;
  min-height: 56px;
  padding: 6px 12px;
  background: #1b2430;
  border: 2px solid #90a4ae;
  border-radius: 8px;
  font-weight: 700;
  text-decoration: none;
}
.ev-clip svg { width: 1.6rem; height: 1.6rem; }

/* ---- the log's CSV download, in the history ---- */
.export {
  display: flex;
  flex-wrap: wrap;
  align-items: flex-end;
  gap: 8px 14px;
  background: #0c1015;
  border: 2px solid var(--line);
  border-radius: 12px;
  padding: 10px 14px;
}
.export-title { flex-basis: 100%; display: flex; align-items: center; gap: 8px; font-size: 1.15rem; font-weight: 800; }
.export .field { font-size: 1rem; }
.export .field input, .export .field select { min-height: 48px; font-size: 1.15rem; }
.export .export-btn { background: #fff; color: #000; border-color: #fff; }
.export .export-btn[disabled] { opacity: 0.45; cursor: not-allowed; }
.export-hint { align-self: center; color: var(--warn); font-size: 1.1rem; font-weight: 700; }
.export-hint:empty { display: none; }
`;

// ---------------------------------------------------------------------------
// 5. The element
// ---------------------------------------------------------------------------

class RaadhusAlarmPanel extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._hass = null;
    this._narrow = false;
    this._data = null; // last state pushed by the server
    this._error = null; // subscription error (e.g. integration not loaded)
    this._unsub = null;
    this._subscribing = false;
    this._conn = null; // the websocket connection the subscription belongs to
    this._retry = null;
    this._received = 0; // state pushes received (to notice a silent subscription)
    this._freshTimer = null;
    this._onReady = () => this._expectFreshState();
    this._timer = null;
    this._tiles = new Map(); // room id -> tile element (kept so cameras keep streaming)
    this._pending = new Map(); // room id -> action being sent
    this._errors = new Map(); // room id -> error text from the last action
    this._lang = "da";
    this._clock = new Clock("da", null);
    this._clockKey = "";
    this._siren = new Siren(
      () => this._renderSound(),
      () => this._updateSiren(),
    );
    this._testTimer = null;
    this._soundSince = 0; // when sound last became allowed (performance.now())
    // Muting silences the alarms sounding now; a new alarm always sounds.
    this._muted = false;
    this._mutedFor = new Set(); // incident ids that were sounding when muted
    this._dialog = null; // the confirmation being shown (see _openDialog)
    this._view = "rooms"; // or "history", "bans", "followups", "statistics"
    this._history = { rows: null, room: "", loading: false, error: null, truncated: false, seq: 0 };
    this._historyTimer = null;
    this._triggered = new Set(); // incident ids of the alarms in the last push
    this._form = null; // the meeting form (see _openForm); kept while an alarm hides it
    this._formTimer = null;
    this._bans = { query: "", status: "" }; // the bans view's search, and what was just saved
    this._banForm = null; // the ban form (see _openBanForm); kept while an alarm hides it
    // Follow-up: the item being sent and the last refusal, per incident id,
    // and what was just done.
    this._followups = { status: "", pending: new Map(), errors: new Map() };
    this._stats = { data: null, loading: false, error: null, seq: 0 };
    // Evidence on the history's rows: which are open, the signed paths
    // (path -> {url, at}), keep requests under way and refusals, by incident id.
    this._evidence = { open: new Set(), signed: new Map(), pending: new Set(), errors: new Map() };
    this._export = null; // the CSV download's period and drills (see _exportState)
    this._built = false;
    this._unlock = () => {
      this._siren.unlock().then(() => this._updateSiren());
    };
  }

  // -- properties Home Assistant sets ---------------------------------------

  set hass(hass) {
    const previous = this._hass;
    this._hass = hass;
    if (!hass) return;
    // hass is replaced on every state change in Home Assistant: only react to
    // what the panel uses.
    const key = `${languageOf(hass)}|${(hass.config && hass.config.time_zone) || ""}`;
    if (key !== this._clockKey) {
      this._clockKey = key;
      this._lang = languageOf(hass);
      this._clock = new Clock(this._lang, hass.config && hass.config.time_zone);
      if (this._built) this._render();
    }
    if (!previous || previous.connected !== hass.connected) this._renderConnection();
    if (hass.connection !== this._conn) {
      // A new connection object (rare): subscribe on it instead.
      this._unsubscribe();
      if (this._conn && this._conn.removeEventListener) this._conn.removeEventListener("ready", this._onReady);
      this._conn = hass.connection;
      if (this._conn && this._conn.addEventListener) this._conn.addEventListener("ready", this._onReady);
      this._subscribe();
    }
    if (this._built && this._data) this._refreshCameraTokens();
  }

  get hass() {
    return this._hass;
  }

  set narrow(value) {
    this._narrow = Boolean(value);
    if (this._built) this.shadowRoot.querySelector(".root").classList.toggle("narrow", this._narrow);
  }

  get narrow() {
    return this._narrow;
  }

  set route(value) {
    this._route = value;
  }

  set panel(value) {
    this._panel = value;
  }

  // -- lifecycle ------------------------------------------------------------

  connectedCallback() {
    if (!this._built) this._build();
    this._siren.prepare();
    this._renderSound();
    // Any interaction with the panel unlocks sound, not only the button.
    this.addEventListener("pointerdown", this._unlock);
    this.addEventListener("keydown", this._unlock);
    this._timer = window.setInterval(() => this._tick(), 1000);
    this._tick();
    this._subscribe();
  }

  disconnectedCallback() {
    window.clearInterval(this._timer);
    window.clearTimeout(this._retry);
    window.clearTimeout(this._freshTimer);
    window.clearTimeout(this._historyTimer);
    window.clearTimeout(this._testTimer);
    window.clearTimeout(this._formTimer);
    this._timer = null;
    this.removeEventListener("pointerdown", this._unlock);
    this.removeEventListener("keydown", this._unlock);
    this._unsubscribe();
    // Keep the AudioContext: once unlocked it stays usable when Home
    // Assistant shows the panel again.
    this._siren.stop();
    // Close camera streams: an <img> with an MJPEG stream keeps its
    // connection open as long as it exists.
    for (const tile of this._tiles.values()) this._setCamera(tile, null);
  }

  // -- subscription ---------------------------------------------------------

  async _subscribe() {
    const conn = this._conn;
    if (!conn || !this.isConnected || this._unsub || this._subscribing) return;
    this._subscribing = true;
    window.clearTimeout(this._retry);
    try {
      // Home Assistant's websocket library re-sends this subscription by
      // itself after a reconnect; the server answers with the full state.
      const unsub = await conn.subscribeMessage((message) => this._onState(message), {
        type: "raadhus_alarm/subscribe",
      });
      if (!this.isConnected || this._conn !== conn) {
        Promise.resolve().then(unsub).catch(() => {});
      } else {
        this._unsub = unsub;
        this._error = null;
      }
    } catch (err) {
      this._error = err;
      this._data = null;
      this._render();
      // Not loaded yet (Home Assistant starting, integration reloading): retry.
      if (this.isConnected) this._retry = window.setTimeout(() => this._subscribe(), 5000);
    } finally {
      this._subscribing = false;
    }
  }

  /**
   * After a reconnect, Home Assistant's websocket library sends the
   * subscription again by itself — but if that fails (Home Assistant has just
   * restarted and this integration is not loaded yet) it gives up silently.
   * A wall screen must never go on showing old alarms: if no fresh state
   * arrives soon after a reconnect, subscribe anew (with retries).
   */
  _expectFreshState() {
    const before = this._received;
    window.clearTimeout(this._freshTimer);
    this._freshTimer = window.setTimeout(() => {
      if (this._received !== before || !this.isConnected) return;
      this._unsubscribe();
      this._subscribe();
    }, 3000);
  }

  _unsubscribe() {
    if (this._unsub) {
      const unsub = this._unsub;
      this._unsub = null;
      Promise.resolve()
        .then(unsub)
        .catch(() => {});
    }
  }

  _onState(data) {
    this._received += 1;
    if (!data || !Array.isArray(data.rooms)) {
      // Not a town hall (e.g. the server says the integration is unloading):
      // show that rather than the last, possibly stale, rooms.
      this._data = null;
      this._error = { message: (data && (data.message || data.error)) || "" };
      this._render();
      return;
    }
    this._data = data;
    this._error = null;
    this._pending.clear();
    const triggered = new Set(data.rooms.filter((r) => r.state === "triggered" && r.incident).map((r) => r.incident.id));
    // A new alarm takes the screen back from every other view and the
    // forms (what was typed in them is kept for later): nobody must have to
    // find it, and its buttons must not be behind a form.
    if ([...triggered].some((id) => !this._triggered.has(id))) {
      this._view = "rooms";
      if (this._form) this._form.open = false;
      if (this._banForm) this._banForm.open = false;
      if (this._dialog && ["end_ban", "debrief_persons"].includes(this._dialog.action)) this._closeDialog();
    }
    this._triggered = triggered;
    this._render();
    if (this._view === "history") this._scheduleHistory();
  }

  // -- actions --------------------------------------------------------------

  /** The error text for a failed command (codes we know in plain words). */
  _errorText(err) {
    const t = TEXTS[this._lang];
    const code = err && err.code;
    return KNOWN_ERRORS.has(code) ? t[`err_${code}`] : fill(t.err_generic, { message: (err && err.message) || code || "?" });
  }

  /**
   * A refused panel command: codes the panel words itself as before; any
   * other refusal the server translated (e.g. "debriefed" before the
   * debrief is recorded in the follow-up) in the user's language.
   */
  async _commandErrorText(err) {
    if (err && !KNOWN_ERRORS.has(err.code) && err.translation_key) return this._serviceErrorText(err);
    return this._errorText(err);
  }

  /** A step without confirmation (acknowledge, on scene) from a room's tile. */
  async _act(room, action) {
    const incident = room.incident;
    if (!incident || this._pending.has(room.id)) return;
    this._pending.set(room.id, action);
    this._errors.delete(room.id);
    this._renderRooms();
    try {
      await this._hass.callWS({ type: "raadhus_alarm/act", incident_id: incident.id, action });
    } catch (err) {
      this._errors.set(room.id, await this._commandErrorText(err));
    } finally {
      this._pending.delete(room.id);
      this._renderRooms();
    }
  }

  /**
   * What a control button is about: an open incident on a tile, the last
   * closed one on a tile (debriefing), or a row of the history.
   */
  _target(button) {
    if (button.dataset.incidentId) {
      const id = button.dataset.incidentId;
      const row = (this._history.rows || []).find((r) => r.id === id);
      if (row) return { id: row.id, room: row.room_name, since: row.since, roomId: null };
      const followup = this._followupById(id); // "debriefed" on a follow-up's card
      return followup ? { id, room: followup.room_name, since: followup.raised_at, roomId: null } : null;
    }
    const room = this._roomById(button.dataset.roomId);
    if (!room) return null;
    const incident = button.dataset.action === "debriefed" ? room.last : room.incident;
    if (!incident) return null;
    return { id: incident.id, room: room.name, since: incident.since || incident.at, roomId: room.id };
  }

  _onControl(button) {
    const action = button.dataset.action;
    if (CONFIRMED.has(action)) {
      const target = this._target(button);
      if (target) this._openDialog(action, target);
      return;
    }
    if (button.dataset.incidentId) {
      // Acknowledge / on scene from the history: the same as on the tile.
      const target = this._target(button);
      if (target) this._sendFromHistory(target, action);
      return;
    }
    const room = this._roomById(button.dataset.roomId);
    if (room) this._act(room, action);
  }

  async _sendFromHistory(target, action) {
    try {
      await this._hass.callWS({ type: "raadhus_alarm/act", incident_id: target.id, action });
    } catch (err) {
      this._history.error = await this._commandErrorText(err);
    }
    this._loadHistory();
  }

  // -- confirmation (resolve, false alarm, debriefed) -------------------------

  /** Closing an alarm is never one tap: it is confirmed, resolving with a reason. */
  _openDialog(action, target) {
    this._dialog = { action, target, resolution: null, note: "", pending: false, error: "" };
    this._renderDialog(true);
    // Focus a reason (or the persons' search), or "go back": never the
    // confirmation itself, so a second Enter or a bumped key closes nothing.
    const first = this._q(".dialog [data-resolution], .dialog .person-filter, .dialog [data-person], .dialog [data-dismiss]");
    if (first) first.focus();
  }

  _closeDialog() {
    const d = this._dialog;
    this._dialog = null;
    this._renderDialog(true);
    // Back where "end now" was (or the search, once the ban has gone).
    if (d && d.action === "end_ban") this._focusBans(`[data-ban-end=${cssString(d.target.id)}]`);
    // Back to the debrief's tick (or the view's title, once the card has gone).
    if (d && d.action === "debrief_persons") this._focusFollowup(d.target.id, '[data-tick="debrief"]');
  }

  async _confirmDialog() {
    const d = this._dialog;
    if (!d || d.pending) return;
    if (d.action === "end_ban") {
      this._confirmEndBan(d);
      return;
    }
    if (d.action === "debrief_persons") {
      this._confirmPersons(d);
      return;
    }
    if (d.action === "resolve" && !d.resolution) return;
    d.pending = true;
    d.error = "";
    this._renderDialog(false);
    const message = { type: "raadhus_alarm/act", incident_id: d.target.id, action: d.action };
    if (d.action === "resolve") message.resolution = d.resolution;
    const note = d.note.trim();
    if (note && d.action !== "debriefed") message.note = note;
    try {
      await this._hass.callWS(message);
      if (this._dialog === d) this._closeDialog();
      if (this._view === "history") this._loadHistory();
    } catch (err) {
      const text = await this._commandErrorText(err);
      if (this._dialog !== d) return;
      d.pending = false;
      d.error = text;
      this._renderDialog(false);
      // The disabled button lost the focus: back into the dialog (Escape, Tab).
      if (!this.shadowRoot.activeElement) this._q(".dialog [data-dismiss]").focus();
    }
  }

  /** `full`: rebuild (opening, closing); otherwise keep the note being typed. */
  _renderDialog(full) {
    const overlay = this._q(".overlay");
    const d = this._dialog;
    overlay.hidden = !d;
    if (!d) {
      overlay.innerHTML = "";
      return;
    }
    const t = TEXTS[this._lang];
    const since = parseTime(d.target.since);
    const vars = d.target.vars || { room: d.target.room, time: since ? this._clock.dayTime(since) : "" };
    const title = fill(t[`${DIALOG_KEY[d.action]}_title`], vars);
    const help = fill(t[`${DIALOG_KEY[d.action]}_help`], vars);
    const persons = d.action === "debrief_persons" ? d.target : null;
    const ready =
      !d.pending &&
      (d.action !== "resolve" || d.resolution) &&
      (!persons || persons.chosen.size > 0 || !persons.candidates.length);
    if (full || !overlay.firstElementChild) {
      const choices =
        d.action === "resolve"
          ? `<div class="choices" role="radiogroup" aria-label="${esc(help)}">${RESOLUTIONS.map(
              (r) =>
                `<button type="button" class="choice" role="radio" aria-checked="false" data-resolution="${r}">` +
                `${esc(t[`resolution_${r}`])}</button>`,
            ).join("")}</div>`
          : persons
            ? this._personsHtml(persons)
            : "";
      const note =
        d.action === "debriefed" || d.action === "end_ban" || persons
          ? ""
          : `<label class="note-field">${esc(t.note_label)}<textarea maxlength="1000" rows="2"></textarea></label>`;
      overlay.innerHTML =
        `<div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" data-dialog="${d.action}">` +
        `<h2 id="dialog-title">${title}</h2><p class="help">${help}</p>${choices}${note}` +
        `<div class="error" role="alert"></div><div class="dialog-actions">` +
        `<button type="button" class="dismiss" data-dismiss>${esc(t.dismiss)}</button>` +
        `<button type="button" class="confirm" data-confirm></button></div></div>`;
      const area = overlay.querySelector("textarea");
      if (area) {
        area.value = d.note;
        area.addEventListener("input", () => {
          if (this._dialog === d) this._dialog.note = area.value;
        });
      }
    }
    for (const choice of overlay.querySelectorAll("[data-resolution]")) {
      choice.setAttribute("aria-checked", String(choice.dataset.resolution === d.resolution));
      choice.disabled = d.pending;
    }
    for (const box of overlay.querySelectorAll("input[data-person]")) {
      box.checked = persons.chosen.has(box.dataset.person);
      box.disabled = d.pending;
    }
    const confirm = overlay.querySelector("[data-confirm]");
    confirm.disabled = !ready;
    confirm.textContent = `${t[`${DIALOG_KEY[d.action]}_confirm`]}${d.pending ? " …" : ""}`;
    overlay.querySelector(".dialog .error").textContent = d.error;
  }

  // -- history ----------------------------------------------------------------

  _showView(view) {
    this._view = view;
    this._bans.status = "";
    this._followups.status = "";
    this._render();
    if (view === "history") this._loadHistory();
    if (view === "statistics") this._loadStatistics();
    // The new view's title takes the focus (a screen reader says where it is).
    if ((view === "followups" || view === "statistics") && this._view === view) {
      const title = this._q(view === "followups" ? ".followups h2" : ".stats h2");
      if (title) title.focus();
    }
    if (view === "bans" && this._view === "bans") {
      // A form an alarm hid comes back as it was; otherwise the search
      // waits for the case number.
      if (this._banForm) this._openBanForm(null);
      else this._focusBans(null);
    }
  }

  /** Refetch soon (many pushes during an alarm are one request). */
  _scheduleHistory() {
    window.clearTimeout(this._historyTimer);
    this._historyTimer = window.setTimeout(() => this._loadHistory(), 400);
  }

  async _loadHistory() {
    window.clearTimeout(this._historyTimer);
    const h = this._history;
    const seq = ++h.seq;
    h.loading = true;
    this._renderHistory();
    const message = { type: "raadhus_alarm/history", days: (this._data && this._data.history_days) || 30 };
    if (h.room) message.room_id = h.room;
    try {
      const result = await this._hass.callWS(message);
      if (seq !== h.seq) return; // an older answer (the filter changed since)
      h.rows = result.incidents || [];
      h.truncated = Boolean(result.truncated);
      h.error = null;
    } catch (err) {
      if (seq !== h.seq) return;
      h.rows = null;
      h.error = `${TEXTS[this._lang].history_error}: ${this._errorText(err)}`;
    }
    h.loading = false;
    this._renderHistory();
  }

  // -- sound ------------------------------------------------------------------

  /** A short burst of the siren, so the officers know the speakers work. */
  async _testSound() {
    await this._siren.unlock();
    if (!this._siren.enabled || this._siren.playing) {
      this._renderSound(); // blocked, or the alarm itself is sounding
      return;
    }
    this._siren.start();
    this._siren.testing = true;
    this._renderSound();
    window.clearTimeout(this._testTimer);
    this._testTimer = window.setTimeout(() => {
      if (!this._siren.testing) return; // an alarm took the siren over
      this._siren.stop();
      this._updateSiren();
    }, TEST_SOUND_MS);
  }

  _toggleMute() {
    // The tap on "Slå lyd til" puts the mute button in its place: that same
    // tap must not mute the alarm it has just made audible.
    if (performance.now() - this._soundSince < 600) return;
    this._muted = !this._muted;
    this._mutedFor = new Set(this._muted ? this._triggered : []);
    this._updateSiren();
  }

  // -- rendering: skeleton --------------------------------------------------

  _build() {
    this.shadowRoot.innerHTML = `
      <style>${STYLES}</style>
      <div class="root" data-sound="off" data-siren="silent" data-muted="false" data-view="rooms">
        <header>
          <button class="menu" type="button"></button>
          <div class="title"><h1 class="hall"></h1><div class="date"></div></div>
          <div class="duty"></div>
          <div class="police"></div>
          <div class="right">
            <div class="views">
              <button class="hdr-btn view-btn followup-btn" type="button" aria-pressed="false" hidden></button>
              <button class="hdr-btn view-btn bans-btn" type="button" aria-pressed="false" hidden></button>
              <button class="hdr-btn view-btn history-btn" type="button" aria-pressed="false"></button>
              <button class="hdr-btn view-btn stats-btn" type="button" aria-pressed="false" hidden></button>
            </div>
            <div class="sound"></div><div class="clock"></div>
          </div>
        </header>
        <div class="banner alarm-banner" role="alert" hidden></div>
        <div class="banner sound-banner" hidden></div>
        <div class="banner conn-banner" role="alert" hidden></div>
        <main>
          <section class="rooms" aria-live="polite"></section>
          <aside>
            <section class="card meetings"></section>
            <section class="card health"></section>
          </aside>
        </main>
        <section class="history" hidden></section>
        <section class="bans" hidden></section>
        <section class="followups" hidden></section>
        <section class="stats" hidden></section>
        <div class="overlay" hidden></div>
        <div class="form-overlay" hidden></div>
        <div class="ban-overlay" hidden></div>
      </div>`;
    const root = this.shadowRoot.querySelector(".root");
    root.classList.toggle("narrow", this._narrow);
    // The sidebar toggle Home Assistant's own panels fire (ha-menu-button).
    this.shadowRoot.querySelector(".menu").addEventListener("click", () => {
      this.dispatchEvent(new CustomEvent("hass-toggle-menu", { bubbles: true, composed: true }));
    });
    root.addEventListener("click", (ev) => this._onClick(ev));
    root.addEventListener("change", (ev) => {
      if (ev.target.matches("select.history-room")) {
        this._history.room = ev.target.value;
        this._loadHistory();
      } else if (ev.target.matches(".form-overlay [data-field]")) {
        this._onFormInput(ev.target);
      } else if (ev.target.matches(".ban-overlay [data-field]")) {
        this._onBanFormInput(ev.target);
      } else if (ev.target.matches(".overlay input[data-person]")) {
        this._onPersonPicked(ev.target);
      } else if (ev.target.matches(".export [data-export-field]")) {
        this._onExportInput(ev.target);
      }
    });
    root.addEventListener("input", (ev) => {
      if (ev.target.matches(".form-overlay [data-field]")) this._onFormInput(ev.target);
      else if (ev.target.matches(".ban-overlay [data-field]")) this._onBanFormInput(ev.target);
      else if (ev.target.matches("input.ban-search")) this._searchBans(ev.target.value);
      else if (ev.target.matches(".overlay input.person-filter")) this._filterPersons(ev.target.value);
      else if (ev.target.matches(".export [data-export-field]")) this._onExportInput(ev.target);
    });
    root.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && this._dialog) this._closeDialog();
      else if (ev.key === "Escape" && this._form && this._form.open) this._closeForm();
      else if (ev.key === "Escape" && this._banForm && this._banForm.open) this._closeBanForm();
      else if (ev.key === "Escape" && ev.target.matches("input.ban-search") && ev.target.value) {
        // Escape empties the search (the next citizen at the door).
        ev.preventDefault();
        ev.target.value = "";
        this._searchBans("");
      }
    });
    this._built = true;
    this._render();
  }

  _onClick(ev) {
    const target = ev.target;
    if (this._banForm && this._banForm.open) {
      this._onBanFormClick(target);
      return; // nothing behind the form reacts while it is open
    }
    if (this._form && this._form.open) {
      this._onFormClick(target);
      return; // nothing behind the form reacts while it is open
    }
    if (this._dialog) {
      if (target.closest("[data-dismiss]") || target === this._q(".overlay")) this._closeDialog();
      else if (target.closest("[data-confirm]")) this._confirmDialog();
      else if (target.closest("[data-resolution]") && !this._dialog.pending) {
        this._dialog.resolution = target.closest("[data-resolution]").dataset.resolution;
        this._renderDialog(false);
      }
      return; // nothing behind the dialog reacts while it is open
    }
    const button = target.closest("button[data-action]");
    if (button && !button.disabled) this._onControl(button);
    if (target.closest("button.sound-btn")) this._unlock();
    if (target.closest("button.sound-test")) this._testSound();
    if (target.closest("button.mute-btn")) this._toggleMute();
    if (target.closest("button.history-btn")) this._showView(this._view === "history" ? "rooms" : "history");
    if (target.closest("button.bans-btn")) this._showView(this._view === "bans" ? "rooms" : "bans");
    if (target.closest("button.followup-btn")) this._showView(this._view === "followups" ? "rooms" : "followups");
    if (target.closest("button.stats-btn")) this._showView(this._view === "statistics" ? "rooms" : "statistics");
    if (target.closest("button.back-btn")) this._showView("rooms");
    if (target.closest("button.announce-btn")) this._openForm();
    if (target.closest("button.ban-new")) this._openBanForm(null);
    // A row's buttons: the ban as the last push has it (gone: nothing happens).
    const change = target.closest("button[data-ban-change]");
    const changed = change && this._banById(change.dataset.banChange);
    if (changed) this._openBanForm(changed);
    const end = target.closest("button[data-ban-end]");
    const ended = end && this._banById(end.dataset.banEnd);
    if (ended) this._askEndBan(ended);
    // Follow-up: an item ticked (or taken back); whom the debrief was held with.
    const tick = target.closest("button[data-tick]");
    if (tick) this._onTick(tick);
    const persons = target.closest("button[data-persons]");
    if (persons) this._onChangePersons(persons);
    // Evidence on a history row; the log's download.
    const evidence = target.closest("button[data-evidence-toggle]");
    if (evidence) this._toggleEvidence(evidence.dataset.evidenceToggle);
    const keep = target.closest("button[data-evidence-keep]");
    if (keep) this._keepEvidence(keep.dataset.evidenceKeep);
    const signed = target.closest("a[data-signed-path]");
    if (signed && !this._freshSignature(signed.dataset.signedPath)) {
      // Signed too long ago to still be accepted: sign again, then open.
      ev.preventDefault();
      this._openSigned(signed.dataset.signedPath);
    }
    if (target.closest("button[data-export-download]")) this._downloadLog();
  }

  _q(selector) {
    return this.shadowRoot.querySelector(selector);
  }

  _roomById(id) {
    return this._data && (this._data.rooms || []).find((r) => r.id === id);
  }

  /** Set innerHTML only when it changed: keeps focus and avoids flicker. */
  _set(element, html) {
    if (element._html !== html) {
      element._html = html;
      element.innerHTML = html;
    }
  }

  _render() {
    if (!this._built) return;
    const t = TEXTS[this._lang];
    this.shadowRoot.host.lang = this._lang;
    this._q(".menu").setAttribute("aria-label", t.menu);
    this._set(this._q(".menu"), ICONS.menu);
    this._renderHeader();
    this._renderView();
    this._renderRooms();
    this._renderSide();
    this._renderConnection();
    this._renderSound();
    this._updateSiren();
    if (this._dialog) this._renderDialog(false);
    this._renderForm(false);
    this._renderBanForm(false);
    this._tick();
  }

  /** The rooms, the history, the attendance bans, the follow-up or the statistics (the banners stay above each). */
  _renderView() {
    const t = TEXTS[this._lang];
    // The bans and follow-up views need a server that sends them (an older
    // one does not), and the follow-up a user who may tick it off.
    const bans = this._data && Array.isArray(this._data.bans) ? this._data.bans : null;
    const followups = this._followupList();
    if (!this._data || (this._view === "bans" && !bans) || (this._view === "followups" && !followups)) {
      this._view = "rooms";
    }
    const view = this._view;
    this._q(".root").dataset.view = view;
    this._q("main").hidden = view !== "rooms";
    this._q(".history").hidden = view !== "history";
    this._q(".bans").hidden = view !== "bans";
    this._q(".followups").hidden = view !== "followups";
    this._q(".stats").hidden = view !== "statistics";
    const button = this._q(".history-btn");
    button.hidden = !this._data;
    button.setAttribute("aria-pressed", String(view === "history"));
    this._set(button, `${ICONS.history}<span>${esc(t.history)}</span>`);
    const bansButton = this._q(".bans-btn");
    const count = bans ? bans.length : 0;
    bansButton.hidden = !bans;
    bansButton.setAttribute("aria-pressed", String(view === "bans"));
    // A short word on the button (the wall's header has one row to spare
    // it); its full name for screen readers and as the tooltip.
    const name = count ? `${t.bans}: ${fill(t.bans_active, { n: count })}` : t.bans;
    bansButton.setAttribute("aria-label", name);
    bansButton.title = name;
    this._set(
      bansButton,
      `${ICONS.ban}<span>${esc(t.bans_short)}</span>${count ? `<span class="count" aria-hidden="true">${count}</span>` : ""}`,
    );
    // Follow-up: leaders and the centre chief, with the number still open
    // (red when one is overdue).
    const followButton = this._q(".followup-btn");
    const open = followups ? followups.length : 0;
    const overdue = followups ? followups.filter((f) => f && f.overdue).length : 0;
    followButton.hidden = !followups;
    followButton.setAttribute("aria-pressed", String(view === "followups"));
    followButton.dataset.overdue = String(overdue > 0);
    const followName =
      (open ? `${t.followup}: ${fill(t.followup_open, { n: open })}` : t.followup) +
      (overdue ? `, ${fill(t.followup_overdue_count, { n: overdue })}` : "");
    followButton.setAttribute("aria-label", followName);
    followButton.title = followName;
    this._set(
      followButton,
      `${ICONS.followup}<span>${esc(t.followup)}</span>${open ? `<span class="count" aria-hidden="true">${open}</span>` : ""}`,
    );
    // The statistics: figures only, for everyone logged in.
    const statsButton = this._q(".stats-btn");
    statsButton.hidden = !this._data;
    statsButton.setAttribute("aria-pressed", String(view === "statistics"));
    statsButton.setAttribute("aria-label", t.statistics);
    statsButton.title = t.statistics;
    this._set(statsButton, `${ICONS.chart}<span>${esc(t.statistics_short)}</span>`);
    if (view === "history") this._renderHistory();
    if (view === "bans") this._renderBans();
    if (view === "followups") this._renderFollowups();
    if (view === "statistics") this._renderStatistics();
  }

  // -- header ---------------------------------------------------------------

  _renderHeader() {
    const t = TEXTS[this._lang];
    const d = this._data;
    this._set(this._q(".hall"), esc((d && d.town_hall) || "Rådhus Alarm"));
    if (!d) {
      this._set(this._q(".duty"), "");
      this._set(this._q(".police"), "");
      this._q(".police").className = "police";
      return;
    }
    const names = (d.on_duty || []).length ? d.on_duty.map(esc).join(", ") : esc(t.nobody);
    const duty = this._q(".duty");
    duty.classList.toggle("off-hours", !d.officers_on_duty);
    this._set(
      duty,
      `${ICONS.people}<div><span class="label">${esc(d.officers_on_duty ? t.officers_on_duty : t.out_of_hours)}</span>` +
        `<span class="names">${names}</span></div>`,
    );
    const police = this._q(".police");
    police.className = `police ${d.police_present ? "present" : "absent"}`;
    this._set(police, `${ICONS.police}<span>${esc(d.police_present ? t.police_present : t.police_absent)}</span>`);
  }

  _renderConnection() {
    if (!this._built) return;
    const t = TEXTS[this._lang];
    const banner = this._q(".conn-banner");
    const down = this._hass && this._hass.connected === false;
    banner.hidden = !down;
    this._set(banner, down ? `${ICONS.warning}<span>${esc(t.disconnected)}</span>` : "");
  }

  _alarmed() {
    return this._data ? (this._data.rooms || []).filter((r) => r.state === "triggered") : [];
  }

  _renderSound() {
    if (!this._built) return;
    const t = TEXTS[this._lang];
    const root = this._q(".root");
    const siren = this._siren;
    if (siren.enabled && root.dataset.sound !== "on") this._soundSince = performance.now();
    root.dataset.sound = siren.enabled ? "on" : "off";
    root.dataset.siren = siren.testing ? "testing" : siren.playing ? "playing" : "silent";
    root.dataset.muted = String(this._muted);
    const alarm = this._alarmed().length > 0;
    const sound = this._q(".sound");
    if (!sound.firstElementChild) {
      // Built once: the tap on "Test lyd" that unlocks sound re-renders the
      // header, and a button replaced between pointerdown and click would
      // never get the click.
      sound.innerHTML = `<span class="sound-state"></span><button class="hdr-btn sound-test" type="button"></button>`;
    }
    let state = "";
    if (this._muted) state = `<span class="sound-muted">${ICONS.mute}${esc(t.muted)}</span>`;
    else if (siren.enabled) state = `<span class="sound-on">${ICONS.speaker}${esc(t.sound_on)}</span>`;
    this._set(sound.querySelector(".sound-state"), state);
    const test = sound.querySelector(".sound-test");
    test.disabled = siren.testing;
    this._set(test, `${ICONS.speaker}${esc(siren.testing ? t.sound_testing : t.sound_test)}`);
    // Blocked by the browser: say so plainly, as a banner; during an alarm
    // the alarm banner offers the same button (one banner less to read).
    const banner = this._q(".sound-banner");
    const blocked = !siren.enabled && !alarm && Boolean(this._data);
    banner.hidden = !blocked;
    this._set(
      banner,
      blocked
        ? `<button class="sound-btn" type="button">${ICONS.speaker}${esc(t.sound_enable)}</button>` +
            `<span>${esc(t.sound_tap)}</span>`
        : "",
    );
    this._renderAlarmBanner();
  }

  _renderAlarmBanner() {
    const t = TEXTS[this._lang];
    const banner = this._q(".alarm-banner");
    const alarmed = this._alarmed();
    banner.hidden = alarmed.length === 0;
    let html = "";
    if (alarmed.length) {
      html = `<span class="msg">${ICONS.warning} ${esc(t.alarm_banner)}: ${alarmed.map((r) => esc(r.name)).join(", ")}</span>`;
      // The alarm is the moment the blocked sound matters most; once it
      // sounds, the same place mutes it (the header has no room to spare).
      if (!this._siren.enabled) {
        html += `<button class="sound-btn" type="button" title="${esc(t.sound_blocked)}">${ICONS.speaker}${esc(t.sound_enable)}</button>`;
      } else {
        html +=
          `<button class="hdr-btn mute-btn" type="button" aria-pressed="${this._muted}">` +
          `${this._muted ? ICONS.speaker : ICONS.mute}${esc(this._muted ? t.unmute : t.mute)}</button>`;
      }
    }
    this._set(banner, html);
  }

  /** Sound while any incident is unacknowledged; acknowledging silences it. */
  _updateSiren() {
    const alarmed = this._alarmed();
    // Muting holds for the alarms that were sounding; a new one sounds again.
    if (this._muted && (!alarmed.length || alarmed.some((r) => !this._mutedFor.has(r.incident && r.incident.id)))) {
      this._muted = false;
      this._mutedFor = new Set();
    }
    if (alarmed.length && !this._muted && this.isConnected) {
      this._siren.testing = false; // the alarm keeps the siren after a test
      this._siren.start();
    } else if (!this._siren.testing) {
      this._siren.stop();
    }
    this._renderSound();
  }

  /** Once a second: clock, elapsed times, camera snapshots. */
  _tick() {
    if (!this._built) return;
    const now = new Date();
    this._q(".clock").textContent = this._clock.timeSeconds(now);
    const date = this._clock.date(now);
    if (this._q(".date").textContent !== date) this._q(".date").textContent = date;
    for (const span of this.shadowRoot.querySelectorAll(".elapsed[data-since]")) {
      const since = parseTime(span.dataset.since);
      if (since) span.textContent = elapsed(since, now);
    }
    for (const tile of this._tiles.values()) this._refreshSnapshot(tile, now);
  }

  // -- room tiles -----------------------------------------------------------

  _renderRooms() {
    const t = TEXTS[this._lang];
    const container = this._q(".rooms");
    if (!this._data) {
      for (const tile of this._tiles.values()) this._setCamera(tile, null);
      this._tiles.clear();
      const message = this._error
        ? `<div class="message error">${ICONS.warning} ${esc(t.not_loaded)}${
            this._error.message ? ` (${esc(this._error.message)})` : ""
          }</div>`
        : `<div class="message">${esc(t.loading)}</div>`;
      this._set(container, message);
      return;
    }
    if (container._html !== undefined) {
      // Leaving the loading/error message: from here on tiles are managed.
      container.innerHTML = "";
      container._html = undefined;
    }
    const rooms = [...(this._data.rooms || [])];
    // Unacknowledged alarms first, then acknowledged, then on scene (oldest
    // first within each), then the quiet rooms in configured order: the
    // alarm that needs someone is always top left.
    const order = new Map(rooms.map((r, i) => [r.id, i]));
    const rank = (r) => (r.state in STATE_ORDER ? STATE_ORDER[r.state] : 9);
    rooms.sort((a, b) => {
      if (rank(a) !== rank(b)) return rank(a) - rank(b);
      const sa = (a.incident && a.incident.since) || "";
      const sb = (b.incident && b.incident.since) || "";
      if (sa !== sb) return sa < sb ? -1 : 1;
      return order.get(a.id) - order.get(b.id);
    });
    const seen = new Set();
    rooms.forEach((room, index) => {
      seen.add(room.id);
      let tile = this._tiles.get(room.id);
      if (!tile) {
        tile = this._createTile();
        this._tiles.set(room.id, tile);
      }
      this._renderTile(tile, room);
      // Move only when out of place: re-inserting a node restarts nothing,
      // but untouched nodes keep focus and hover.
      if (container.children[index] !== tile) container.insertBefore(tile, container.children[index] || null);
    });
    for (const [id, tile] of this._tiles) {
      if (!seen.has(id)) {
        this._setCamera(tile, null);
        tile.remove();
        this._tiles.delete(id);
      }
    }
  }

  _createTile() {
    const tile = document.createElement("article");
    tile.className = "tile";
    tile.innerHTML = `
      <div class="tile-head"><h2 class="name"></h2></div>
      <div class="word"></div>
      <div class="badges"></div>
      <div class="status"></div>
      <div class="cam"></div>
      <div class="reach"></div>
      <div class="controls"></div>
      <div class="error" role="alert"></div>`;
    tile._parts = {
      name: tile.querySelector(".name"),
      word: tile.querySelector(".word"),
      badges: tile.querySelector(".badges"),
      status: tile.querySelector(".status"),
      cam: tile.querySelector(".cam"),
      reach: tile.querySelector(".reach"),
      controls: tile.querySelector(".controls"),
      error: tile.querySelector(".error"),
    };
    tile._camera = null;
    return tile;
  }

  _renderTile(tile, room) {
    const t = TEXTS[this._lang];
    const state = OPEN_STATES.has(room.state) ? room.state : "idle";
    const incident = room.incident || null;
    const open = state !== "idle" && incident;
    const problems = (room.buttons || []).filter((b) => b.problem);
    const unhealthy = problems.length > 0 || (room.buttons || []).length === 0;

    tile.dataset.room = room.name;
    tile.dataset.state = state;
    tile.dataset.kind = room.kind || "other";
    if (incident) {
      tile.dataset.incident = incident.id;
      tile.dataset.since = incident.since || "";
    } else {
      delete tile.dataset.incident;
      delete tile.dataset.since;
    }
    tile.classList.toggle("open", Boolean(open));
    tile.classList.toggle("unhealthy", unhealthy);
    tile.classList.toggle("monitored", Boolean(room.monitored));
    tile.classList.toggle("in-meeting", Boolean(room.meeting));
    // The kind is for screen readers; on screen the room's name says enough.
    tile.setAttribute("aria-label", `${room.name} (${t[`kind_${room.kind}`] || t.kind_other}): ${this._stateWord(state)}`);

    const p = tile._parts;
    this._set(p.name, esc(room.name));

    // Badges: broken button, a meeting running (monitored or announced),
    // drill, joined presses. The meeting's times are in the side list (and
    // the badge's tooltip): on the tile they would take a second line.
    const badges = [];
    if (incident && incident.drill) badges.push(`<span class="badge drill">${esc(t.drill)}</span>`);
    if (room.monitored || room.meeting) {
      const [kind, icon, word] = room.monitored
        ? ["monitored", ICONS.eye, t.monitored]
        : ["meeting", ICONS.calendar, t.announced_meeting];
      badges.push(
        `<span class="badge ${room.monitored ? "monitored" : "announced"}" data-badge="${kind}"` +
          ` title="${esc(this._span(room.meeting))}">${icon}${esc(word)}</span>`,
      );
    }
    if (unhealthy) {
      const detail = problems.length
        ? problems.map((b) => `${esc(b.name)}: ${esc(t[`problem_${b.problem}`] || b.problem)}`).join(", ")
        : esc(t.no_button);
      badges.push(
        `<span class="badge unhealthy">${ICONS.warning}<span>${esc(t.button_broken)}` +
          ` <span class="detail">— ${detail}</span></span></span>`,
      );
    }
    if (incident && incident.joins > 0) badges.push(`<span class="badge joins">${fill(t.joins, { n: incident.joins })}</span>`);
    // Nobody acknowledged in time: the alarm went out again, wider.
    if (open && incident.repeated > 0) {
      badges.push(`<span class="badge repeated">${ICONS.warning}${fill(t.repeated, { n: incident.repeated })}</span>`);
    }
    this._set(p.badges, badges.join(""));

    this._set(p.word, esc(this._stateWord(state)));
    this._set(p.status, this._statusHtml(state, room, incident));
    this._set(p.reach, open ? this._reachHtml(incident) : "");
    this._renderControls(tile, room, open ? incident : null, state);
    this._set(p.error, esc(this._errors.get(room.id) || ""));

    // Live camera only while the room has an open incident.
    const camera = open && room.camera ? room.camera : null;
    tile.classList.toggle("has-cam", Boolean(open));
    this._setCamera(tile, open ? { entity: camera } : null);
  }

  _stateWord(state) {
    const t = TEXTS[this._lang];
    return { triggered: t.alarm, acknowledged: t.acknowledged, on_scene: t.on_scene }[state] || t.idle;
  }

  _statusHtml(state, room, incident) {
    const t = TEXTS[this._lang];
    const lines = [];
    if (state !== "idle" && incident) {
      const since = parseTime(incident.since);
      if (state === "acknowledged" && incident.acknowledged_by) {
        // KVITTERET + "Bo er på vej" says who acknowledged and what happens.
        lines.push(`<div class="line big">${fill(t.on_the_way, { name: incident.acknowledged_by })}</div>`);
      }
      if (state === "on_scene") {
        if (incident.on_scene_by) {
          lines.push(`<div class="line big">${fill(t.on_scene_by, { name: incident.on_scene_by })}</div>`);
        }
        if (incident.acknowledged_by && incident.acknowledged_by !== incident.on_scene_by) {
          lines.push(`<div class="line">${fill(t.acknowledged_by, { name: incident.acknowledged_by })}</div>`);
        }
      }
      if (since) {
        lines.push(
          `<div class="line">${fill(t.since, { time: this._clock.time(since) })} · ` +
            `<span class="elapsed" data-since="${esc(incident.since)}">${elapsed(since, new Date())}</span></div>`,
        );
      }
      if (incident.raised_by && state === "triggered") {
        lines.push(`<div class="line muted">${fill(t.raised_by, { name: incident.raised_by })}</div>`);
      }

    } else if (room.last) {
      // The room's most recent closed incident, when it was today.
      const at = parseTime(room.last.at);
      if (at && this._clock.sameDay(at, new Date())) {
        const key = { resolved: "last_resolved", cancelled: "last_cancelled", debriefed: "last_debriefed" }[room.last.state] || "last_resolved";
        lines.push(
          `<div class="line muted last">${fill(t[key], { time: this._clock.time(at), name: room.last.by || "?" })}</div>`,
        );
      }
    }
    return lines.join("");
  }

  /** The steps this user may take on an incident in `state` (per the panel state's flags). */
  _allowedSteps(state) {
    const d = this._data || {};
    return (NEXT_STEPS[state] || []).filter((action) => d[FLAG[action]]);
  }

  _controlLabel(action) {
    const t = TEXTS[this._lang];
    return {
      acknowledge: t.act_acknowledge,
      on_scene: t.act_on_scene,
      resolve: t.act_resolve,
      cancel: t.act_cancel,
      debriefed: t.act_debriefed,
    }[action];
  }

  /** Whom the alarm went to as well, and whom it did not reach (names only). */
  _reachHtml(incident) {
    const t = TEXTS[this._lang];
    const lines = [];
    if ((incident.widened_to || []).length) {
      lines.push(`<div class="line widened">${fill(t.widened_to, { names: incident.widened_to.join(", ") })}</div>`);
    }
    if ((incident.unreachable || []).length) {
      lines.push(
        `<div class="line unreachable">${ICONS.warning} ${fill(t.unreachable, { names: incident.unreachable.join(", ") })}</div>`,
      );
    }
    return lines.join("");
  }

  _renderControls(tile, room, incident, state) {
    const t = TEXTS[this._lang];
    const p = tile._parts;
    if (!incident) {
      // A resolved alarm of today: leaders may mark the debriefing here too.
      const last = room.last;
      const at = last && parseTime(last.at);
      const shown = last && last.state === "resolved" && at && this._clock.sameDay(at, new Date());
      const debrief = shown && this._allowedSteps("resolved").length;
      this._set(
        p.controls,
        debrief
          ? `<button class="act" type="button" data-action="debriefed" data-room-id="${esc(room.id)}">` +
              `${esc(t.act_debriefed)}</button>`
          : "",
      );
      return;
    }
    // Steps may be skipped forward (never back): every later step is offered.
    const actions = this._allowedSteps(state);
    if (!actions.length) {
      this._set(p.controls, `<div class="note">${esc(t.cannot_act)}</div>`);
      return;
    }
    const pending = this._pending.get(room.id);
    this._set(
      p.controls,
      actions
        .map(
          (action) =>
            `<button class="act" type="button" data-action="${action}" data-room-id="${esc(room.id)}"` +
            `${pending ? " disabled" : ""}>${esc(this._controlLabel(action))}${pending === action ? " …" : ""}</button>`,
        )
        .join(""),
    );
  }

  // -- history ----------------------------------------------------------------

  _renderHistory() {
    if (this._view !== "history" || !this._data) return;
    const t = TEXTS[this._lang];
    const h = this._history;
    const section = this._q(".history");
    if (!section._head) {
      section.innerHTML =
        `<div class="history-head"><h2></h2><label><span class="label-text"></span>` +
        `<select class="history-room"></select></label>` +
        `<button class="hdr-btn back-btn" type="button"></button></div>` +
        `<div class="export" role="group" aria-labelledby="export-title" hidden>` +
        `<span class="export-title" id="export-title">${ICONS.download}<span class="export-title-text"></span></span>` +
        `<label class="field"><span class="export-label" data-label="start"></span><input type="date" data-export-field="start" required></label>` +
        `<label class="field"><span class="export-label" data-label="end"></span><input type="date" data-export-field="end" required></label>` +
        `<label class="field"><span class="export-label" data-label="drills"></span><select data-export-field="drills"></select></label>` +
        `<button class="hdr-btn export-btn" type="button" data-export-download></button>` +
        `<span class="export-hint" role="alert"></span></div>` +
        `<div class="error history-error" role="alert"></div><ol class="history-list"></ol>`;
      section._head = section.querySelector(".history-head");
    }
    this._renderExport(section.querySelector(".export"));
    this._set(section.querySelector("h2"), fill(t.history_title, { days: this._data.history_days || 30 }));
    this._set(section.querySelector(".label-text"), esc(t.filter_room));
    this._set(section.querySelector(".back-btn"), esc(t.back));
    const rooms = this._data.rooms || [];
    const select = section.querySelector("select");
    this._set(
      select,
      `<option value="">${esc(t.all_rooms)}</option>` +
        rooms.map((r) => `<option value="${esc(r.id)}">${esc(r.name)}</option>`).join(""),
    );
    select.value = h.room;
    this._set(section.querySelector(".history-error"), esc(h.error || ""));
    const list = section.querySelector(".history-list");
    let html;
    if (h.rows === null) html = h.error ? "" : `<li class="empty">${esc(t.history_loading)}</li>`;
    else if (!h.rows.length) html = `<li class="empty">${esc(t.history_empty)}</li>`;
    else html = h.rows.map((row, index) => this._historyRowHtml(row, index)).join("");
    if (h.truncated) html += `<li class="empty">${esc(t.history_truncated)}</li>`;
    // A row's button that had the focus keeps it (a push reloads the rows).
    this._setList(list, html, "data-history-incident", ["data-evidence-toggle", "data-evidence-keep", "data-action"]);
    section.dataset.loading = String(h.loading);
  }

  _historyRowHtml(row, index) {
    const t = TEXTS[this._lang];
    const since = parseTime(row.since);
    const closedAt = parseTime(row.closed_at);
    const badges = [];
    if (row.drill) badges.push(`<span class="badge drill">${esc(t.drill)}</span>`);
    if (row.repeated > 0) badges.push(`<span class="badge repeated">${fill(t.repeated, { n: row.repeated })}</span>`);
    if (row.state === "resolved") badges.push(`<span class="badge due">${esc(t.debrief_due)}</span>`);
    // Video evidence: for those who may see it (the others get null).
    const evidence = row.evidence && Array.isArray(row.evidence.files) ? row.evidence : null;
    if (evidence && evidence.keep) badges.push(`<span class="badge kept">${esc(t.evidence_kept)}</span>`);
    const files = evidence ? evidence.files.filter((f) => f && typeof f === "object") : [];
    const open = files.length > 0 && this._evidence.open.has(row.id);
    const details = [];
    if (row.raised_by) details.push(fill(t.h_raised, { name: row.raised_by }));
    if (row.acknowledged_by) details.push(fill(t.h_acknowledged, { name: row.acknowledged_by }));
    if (row.closed_by) {
      const key = row.state === "cancelled" ? "h_cancelled" : "h_resolved";
      details.push(fill(t[key], { name: row.closed_by, time: closedAt ? this._clock.time(closedAt) : "" }));
    }
    if (row.resolution) details.push(esc(t[`resolution_${row.resolution}`] || row.resolution));
    if (row.note) details.push(`“${esc(row.note)}”`);
    if (row.debriefed_by) details.push(fill(t.h_debriefed, { name: row.debriefed_by }));
    const actions = this._allowedSteps(row.state)
      .map(
        (action) =>
          `<button class="act" type="button" data-action="${action}" data-incident-id="${esc(row.id)}">` +
          `${esc(this._controlLabel(action))}</button>`,
      )
      .join("");
    const toggle = files.length
      ? `<button type="button" class="hdr-btn ev-toggle" data-evidence-toggle="${esc(row.id)}" aria-expanded="${open}"` +
        ` aria-controls="ev-${index}">${ICONS.camera}<span>${fill(t.evidence, { n: files.length })}</span></button>`
      : "";
    return (
      `<li class="h-row" data-history-incident="${esc(row.id)}" data-state="${esc(row.state)}"` +
      ` data-drill="${row.drill ? "true" : "false"}" data-history-room="${esc(row.room_name)}">` +
      `<div class="h-when">${esc(since ? this._clock.dayTime(since) : "")}</div>` +
      `<div class="h-room">${esc(row.room_name)}</div>` +
      `<div class="h-state"><span class="h-word">${esc(t[`state_${row.state}`] || row.state)}</span>${badges.join("")}</div>` +
      `<div class="h-actions">${actions}${toggle}</div>` +
      `<div class="h-detail">${details.join(" · ")}</div>` +
      (open ? this._evidenceHtml(row, evidence, files, index) : "") +
      `</li>`
    );
  }


  /**
   * Set a list's HTML; the button in it that had the focus (found again by
   * its row's `rowAttr` and one of its own `attrs`) keeps it. Returns true
   * when the focus was in the list and its button has gone.
   */
  _setList(list, html, rowAttr, attrs) {
    const active = this.shadowRoot.activeElement;
    let selector = null;
    const inside = Boolean(active && list.contains(active));
    if (inside) {
      const row = active.closest(`[${rowAttr}]`);
      const attr = attrs.find((a) => active.hasAttribute(a));
      if (row && attr) {
        selector = `[${rowAttr}=${cssString(row.getAttribute(rowAttr))}] [${attr}=${cssString(active.getAttribute(attr))}]`;
      }
    }
    this._set(list, html);
    if (!inside || list.contains(this.shadowRoot.activeElement)) return false;
    const again = selector && list.querySelector(selector);
    if (again) again.focus();
    return !again;
  }

  // -- video evidence on the history's rows (R6) --------------------------------

  /** The open evidence of a row: the keep switch, thumbnails (signed paths) and clips. */
  _evidenceHtml(row, evidence, files, index) {
    const t = TEXTS[this._lang];
    const busy = this._evidence.pending.has(row.id);
    const keep =
      this._data && this._data.can_view_evidence
        ? `<button type="button" class="hdr-btn ev-keep" role="switch" aria-checked="${evidence.keep ? "true" : "false"}"` +
          ` data-evidence-keep="${esc(row.id)}"${busy ? ' aria-disabled="true" aria-busy="true"' : ""}>` +
          `<span class="switch" aria-hidden="true"></span><span>${esc(t.evidence_keep)}${busy ? " …" : ""}</span></button>`
        : "";
    return (
      `<div class="h-evidence" id="ev-${index}" data-evidence="${esc(row.id)}">` +
      `<div class="ev-head"><h3>${esc(t.evidence_title)}</h3>${keep}</div>` +
      `<ul class="ev-files">${files.map((file) => this._evidenceFileHtml(file)).join("")}</ul>` +
      `<div class="error ev-error" role="alert">${esc(this._evidence.errors.get(row.id) || "")}</div></div>`
    );
  }

  /** A snapshot as a thumbnail (a link to the full image), a clip as a link; both through signed paths. */
  _evidenceFileHtml(file) {
    const t = TEXTS[this._lang];
    const at = parseTime(file.at);
    const vars = { camera: this._cameraName(file.camera), time: at ? this._clock.dayTime(at) : "" };
    const signed = this._evidence.signed.get(file.path);
    const url = signed ? signed.url : null;
    const link = (inner, cls) =>
      url
        ? `<a${cls ? ` class="${cls}"` : ""} href="${esc(url)}" target="_blank" rel="noopener" data-signed-path="${esc(file.path)}">${inner}</a>`
        : `<span${cls ? ` class="${cls}"` : ""}>${inner}</span>`;
    const head = `<li class="ev-file" data-evidence-file="${esc(file.name)}" data-kind="${file.kind === "clip" ? "clip" : "snapshot"}">`;
    if (file.kind === "clip") return `${head}${link(`${ICONS.film}<span>${fill(t.evidence_clip, vars)}</span>`, "ev-clip")}</li>`;
    const text = fill(t.evidence_snapshot, vars);
    const image = url ? `<img src="${esc(url)}" alt="${text}" loading="lazy">` : `<span class="ev-wait">${esc(t.evidence_loading)}</span>`;
    return `${head}${url ? link(image, "") : image}<span class="ev-caption" aria-hidden="true">${text}</span></li>`;
  }

  _cameraName(entity) {
    const state = entity && this._hass && this._hass.states && this._hass.states[entity];
    return (state && state.attributes && state.attributes.friendly_name) || entity || "";
  }

  _toggleEvidence(id) {
    const row = (this._history.rows || []).find((r) => r.id === id);
    if (!row) return;
    const open = this._evidence.open;
    if (open.has(id)) open.delete(id);
    else open.add(id);
    this._renderHistory();
    if (open.has(id)) this._signEvidence(row);
  }

  /**
   * The evidence view needs Home Assistant's login, which an <img> or a
   * link does not send: each file's path is signed (auth/sign_path) when
   * the row is opened, and signed anew once that is old.
   */
  async _signEvidence(row) {
    const t = TEXTS[this._lang];
    const files = ((row.evidence && row.evidence.files) || []).filter(
      (f) => f && typeof f.path === "string" && !this._freshSignature(f.path),
    );
    if (!files.length) return;
    this._evidence.errors.delete(row.id);
    const results = await Promise.allSettled(files.map((f) => this._sign(f.path, SIGN_SECONDS)));
    const now = Date.now();
    results.forEach((result, i) => {
      if (result.status === "fulfilled" && result.value) this._evidence.signed.set(files[i].path, { url: result.value, at: now });
    });
    if (results.some((r) => r.status !== "fulfilled" || !r.value)) this._evidence.errors.set(row.id, t.evidence_error);
    this._renderHistory();
  }

  /** A path of this integration's evidence or log, signed for `expires` seconds (null: not one of ours). */
  async _sign(path, expires) {
    if (!path.startsWith("/api/raadhus_alarm/")) return null; // never sign another view's path
    const result = await this._hass.callWS({ type: "auth/sign_path", path, expires });
    const signed = result && result.path;
    return typeof signed === "string" && signed.startsWith("/") && !signed.startsWith("//") ? signed : null;
  }

  _freshSignature(path) {
    const signed = this._evidence.signed.get(path);
    return Boolean(signed && Date.now() - signed.at < RESIGN_MS);
  }

  async _openSigned(path) {
    let url = null;
    try {
      url = await this._sign(path, SIGN_SECONDS);
    } catch (err) {
      url = null;
    }
    if (!url) return;
    this._evidence.signed.set(path, { url, at: Date.now() });
    window.open(url, "_blank", "noopener");
    this._renderHistory();
  }

  /** "Keep for police report": raadhus_alarm.keep_evidence as the logged-in user (the server's gate decides). */
  async _keepEvidence(id) {
    const ev = this._evidence;
    const row = (this._history.rows || []).find((r) => r.id === id);
    if (!row || !row.evidence || ev.pending.has(id)) return;
    const keep = !row.evidence.keep;
    ev.pending.add(id);
    ev.errors.delete(id);
    this._renderHistory();
    let error = "";
    try {
      await this._hass.callWS({
        type: "call_service",
        domain: "raadhus_alarm",
        service: "keep_evidence",
        service_data: { incident_id: id, keep },
      });
    } catch (err) {
      error = await this._serviceErrorText(err);
    }
    ev.pending.delete(id);
    if (error) ev.errors.set(id, error);
    else row.evidence.keep = keep; // until the history is read again
    this._renderHistory();
    if (!error) this._loadHistory();
  }

  // -- the log's CSV download (leaders, the safety organisation) --------------

  /** The period and drills chosen (by default the last 30 days, drills included). */
  _exportState() {
    if (!this._export) {
      const today = this._clock.wall(new Date()).date;
      this._export = { start: minusDays(today, EXPORT_DAYS), end: today, drills: "include", pending: false, error: "", url: "" };
    }
    return this._export;
  }

  _renderExport(box) {
    const shown = Boolean(this._data && this._data.can_export);
    box.hidden = !shown;
    if (!shown) return;
    const t = TEXTS[this._lang];
    const x = this._exportState();
    this._set(box.querySelector(".export-title-text"), esc(t.export_title));
    this._set(box.querySelector('[data-label="start"]'), esc(t.export_from));
    this._set(box.querySelector('[data-label="end"]'), esc(t.export_to));
    this._set(box.querySelector('[data-label="drills"]'), esc(t.export_drills));
    this._set(
      box.querySelector("select"),
      DRILL_FILTERS.map((f) => `<option value="${f}">${esc(t[`drills_${f}`])}</option>`).join(""),
    );
    for (const el of box.querySelectorAll("[data-export-field]")) {
      const value = x[el.dataset.exportField];
      if (el.value !== value) el.value = value;
    }
    const button = box.querySelector("[data-export-download]");
    button.disabled = !this._exportReady(x);
    this._set(button, `${ICONS.download}<span>${esc(t.export_download)}${x.pending ? " …" : ""}</span>`);
    const badPeriod = Boolean(x.start && x.end && x.start > x.end);
    box.querySelector(".export-hint").textContent = badPeriod ? t.export_bad_period : x.error;
    if (x.url) box.dataset.exportUrl = x.url;
  }

  _exportReady(x) {
    return !x.pending && /^\d{4}-\d{2}-\d{2}$/.test(x.start) && /^\d{4}-\d{2}-\d{2}$/.test(x.end) && x.start <= x.end;
  }

  _onExportInput(el) {
    const x = this._exportState();
    x[el.dataset.exportField] = el.value;
    x.error = "";
    this._renderExport(this._q(".history .export"));
  }

  /** Sign the export's path with the chosen period and download the file it names. */
  async _downloadLog() {
    const x = this._exportState();
    if (!this._exportReady(x)) return;
    const query = new URLSearchParams({ start: x.start, end: x.end, drills: x.drills });
    x.pending = true;
    x.error = "";
    this._renderExport(this._q(".history .export"));
    try {
      const url = await this._sign(`${EXPORT_PATH}?${query}`, EXPORT_SIGN_SECONDS);
      if (!url) throw new Error("no signed path");
      x.url = url;
      this._download(url, `raadhus-alarm-${x.start}-${x.end}.csv`);
    } catch (err) {
      x.error = await this._serviceErrorText(err);
    }
    x.pending = false;
    this._renderExport(this._q(".history .export"));
  }

  /** Go to a signed URL as a download (the panel stays where it is, whatever the answer). */
  _download(url, filename) {
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.rel = "noopener";
    link.hidden = true;
    this._q(".root").appendChild(link);
    link.click();
    link.remove();
  }

  // -- follow-up after an incident (R6) -----------------------------------------

  /** The open follow-ups for a user who may tick them off (null: no view). */
  _followupList() {
    const d = this._data;
    return d && d.can_follow_up && Array.isArray(d.followups) ? d.followups.filter((f) => f && f.incident_id) : null;
  }

  _followupById(id) {
    return (this._followupList() || []).find((f) => f.incident_id === id) || null;
  }

  /** The items in the server's order (any newer one after them). */
  _followupItems(f) {
    const items = (Array.isArray(f.items) ? f.items : []).filter((i) => i && i.key);
    const rank = (key) => (FOLLOWUP_ITEMS.includes(key) ? FOLLOWUP_ITEMS.indexOf(key) : FOLLOWUP_ITEMS.length);
    return [...items].sort((a, b) => rank(a.key) - rank(b.key));
  }

  /** Focus `selector` in a follow-up's card if it is there, else the view's title. */
  _focusFollowup(id, selector) {
    if (this._view !== "followups") return;
    const el = this._q(`.followups [data-followup=${cssString(id)}] ${selector}`) || this._q(".followups h2");
    if (el) el.focus();
  }

  _renderFollowups() {
    if (this._view !== "followups" || !this._data) return;
    const t = TEXTS[this._lang];
    const list = this._followupList() || [];
    const section = this._q(".followups");
    if (!section._built) {
      section.innerHTML =
        `<div class="view-head"><h2 id="fu-title" tabindex="-1"></h2>` +
        `<button class="hdr-btn back-btn" type="button"></button></div>` +
        `<p class="view-intro"></p><div class="view-status fu-status" role="status"></div>` +
        `<ol class="fu-list" aria-labelledby="fu-title"></ol>`;
      section._built = true;
    }
    this._set(
      section.querySelector("h2"),
      `${ICONS.followup}<span>${esc(t.followup_title)}</span>${list.length ? ` <span class="count">(${list.length})</span>` : ""}`,
    );
    this._set(section.querySelector(".back-btn"), esc(t.back));
    this._set(section.querySelector(".view-intro"), esc(t.followup_intro));
    const status = this._followups.status;
    this._set(section.querySelector(".fu-status"), status ? `${ICONS.check}<span>${esc(status)}</span>` : "");
    const html = list.length
      ? list.map((f, index) => this._followupHtml(f, index)).join("")
      : `<li class="empty" data-followup-empty>${esc(t.followup_empty)}</li>`;
    const lost = this._setList(section.querySelector(".fu-list"), html, "data-followup", ["data-tick", "data-persons", "data-action"]);
    // A card done with goes from the list: the focus to the view's title.
    if (lost) section.querySelector("h2").focus();
  }

  /** One incident's card: room and times, state, overdue, the crisis line, the checklist. */
  _followupHtml(f, index) {
    const t = TEXTS[this._lang];
    const id = f.incident_id;
    const raised = parseTime(f.raised_at);
    const resolved = parseTime(f.resolved_at);
    const items = this._followupItems(f);
    const applicable = items.filter((i) => i.applies !== false);
    const done = applicable.filter((i) => i.done).length;
    const when = [
      raised ? fill(t.fu_raised, { time: this._clock.dayTime(raised) }) : "",
      resolved ? fill(t.fu_resolved, { time: this._clock.dayTime(resolved) }) : "",
    ]
      .filter(Boolean)
      .join(" · ");
    const overdue = f.overdue
      ? `<span class="badge overdue" title="${esc(t.fu_overdue_help)}">${ICONS.warning}<span>${esc(t.fu_overdue)}</span>` +
        `<span class="visually-hidden">: ${esc(t.fu_overdue_help)}</span></span>`
      : "";
    // Marking the incident debriefed, as on its tile and in the history
    // (the server refuses it until the debrief is ticked off here).
    const act =
      f.state === "resolved" && this._data.can_debrief
        ? `<button class="act" type="button" data-action="debriefed" data-incident-id="${esc(id)}">${esc(t.act_debriefed)}</button>`
        : "";
    const line = f.crisis_line && typeof f.crisis_line === "object" ? f.crisis_line : {};
    const href = telHref(line.phone);
    const crisis =
      `<div class="fu-crisis">${ICONS.phone}<span>${esc(t.fu_crisis)}:</span> ` +
      (line.name ? `<span class="fu-crisis-name">${esc(line.name)}</span> ` : "") +
      (href
        ? `<a class="fu-crisis-phone" href="${esc(href)}">${fill(t.fu_crisis_phone, { phone: line.phone })}</a>`
        : `<span class="muted">${esc(t.fu_crisis_unknown)}</span>`) +
      `</div>`;
    return (
      `<li class="fu-card" data-followup="${esc(id)}" data-state="${esc(f.state)}" data-overdue="${f.overdue ? "true" : "false"}"` +
      ` aria-labelledby="fu-room-${index}">` +
      `<div class="fu-card-head"><h3 class="fu-room" id="fu-room-${index}">${esc(f.room_name)}</h3>` +
      `<span class="badge fu-state" data-state="${esc(f.state)}">${esc(t[`state_${f.state}`] || f.state)}</span>${overdue}` +
      `<span class="fu-progress">${fill(t.fu_progress, { done, total: applicable.length })}</span>` +
      `<div class="fu-card-actions">${act}</div><div class="fu-when">${when}</div></div>` +
      crisis +
      `<ul class="fu-items">${items.map((item) => this._followupItemHtml(f, item, index)).join("")}</ul>` +
      `<div class="error fu-error" role="alert">${esc(this._followups.errors.get(id) || "")}</div></li>`
    );
  }

  /** One item: a big checkbox with its name, what it asks for, and when and by whom it was done. */
  _followupItemHtml(f, item, index) {
    const t = TEXTS[this._lang];
    const key = String(item.key);
    const ref = `fu-${index}-${key.replace(/[^\w-]/g, "_")}`;
    const label = t[`fu_item_${key}`] || key;
    let help = t[`fu_help_${key}`] ? esc(t[`fu_help_${key}`]) : "";
    if (key === "police_report") {
      // The municipality reports (its CVR), never the employee.
      help = esc(t.fu_help_police_report).replace("{cvr}", () => `<strong class="fu-cvr">${esc(f.cvr || t.fu_cvr_unknown)}</strong>`);
    }
    const persons = Array.isArray(item.persons) ? item.persons.filter(Boolean) : [];
    if (key === "debrief" && item.done && persons.length) help = ""; // "with whom" is answered below
    const info = [];
    if (help) info.push(`<span class="fu-help" id="${ref}-help">${help}</span>`);
    const head = `<li class="fu-item" data-item="${esc(key)}" data-done="${item.done ? "true" : "false"}" data-applies="${item.applies === false ? "false" : "true"}">`;
    if (item.applies === false) {
      // Only for incidents outside working hours: nothing to tick.
      return (
        `${head}<div class="fu-static"><span class="fu-box" aria-hidden="true"></span><span class="fu-label">${esc(label)}</span>` +
        `<span class="fu-na">${esc(t.fu_na)}</span></div><div class="fu-info">${info.join("")}</div></li>`
      );
    }
    if (item.done) {
      const at = parseTime(item.done_at);
      const time = at ? this._clock.dayTime(at) : "";
      info.push(`<span class="fu-done">${item.done_by ? fill(t.fu_done, { time, name: item.done_by }) : fill(t.fu_done_at, { time })}</span>`);
    }
    if (key === "debrief" && item.done && persons.length) info.push(`<span class="fu-persons">${fill(t.fu_with, { names: this._names(persons) })}</span>`);
    const busy = this._followups.pending.get(f.incident_id) === key;
    const change =
      key === "debrief" && item.done
        ? `<button type="button" class="hdr-btn fu-persons-btn" data-persons="${esc(key)}">${esc(t.fu_change_persons)}</button>`
        : "";
    return (
      `${head}<button type="button" class="fu-tick" role="checkbox" aria-checked="${item.done ? "true" : "false"}" data-tick="${esc(key)}"` +
      `${help ? ` aria-describedby="${ref}-help"` : ""}${busy ? ' aria-disabled="true" aria-busy="true"' : ""}>` +
      `<span class="fu-box" aria-hidden="true">${item.done ? ICONS.check : ""}</span>` +
      `<span class="fu-label">${esc(label)}${busy ? " …" : ""}</span></button>${change}` +
      `<div class="fu-info">${info.join("")}</div></li>`
    );
  }

  /** "A, B og C" (already escaped). */
  _names(names) {
    const t = TEXTS[this._lang];
    const all = names.map((n) => esc(n));
    return all.length < 2 ? all.join("") : `${all.slice(0, -1).join(", ")} ${esc(t.fu_and)} ${all[all.length - 1]}`;
  }

  /** A tick: the debrief asks with whom first; the others are sent at once (and taken back the same way). */
  _onTick(button) {
    const card = button.closest("[data-followup]");
    const f = card && this._followupById(card.dataset.followup);
    if (!f || this._followups.pending.has(f.incident_id)) return;
    const key = button.dataset.tick;
    const item = this._followupItems(f).find((i) => i.key === key);
    if (!item || item.applies === false) return;
    if (key === "debrief" && !item.done) {
      this._askPersons(f, item);
      return;
    }
    this._followUpCall(f, key, { done: !item.done });
  }

  _onChangePersons(button) {
    const card = button.closest("[data-followup]");
    const f = card && this._followupById(card.dataset.followup);
    const item = f && this._followupItems(f).find((i) => i.key === "debrief");
    if (item && !this._followups.pending.has(f.incident_id)) this._askPersons(f, item);
  }

  /**
   * raadhus_alarm.follow_up through Home Assistant's call_service, as the
   * logged-in user; the checklist it answers with is shown until the next
   * push. Returns the refusal's text ("" when it was done).
   */
  async _followUpCall(f, key, extra) {
    const t = TEXTS[this._lang];
    const id = f.incident_id;
    const fu = this._followups;
    fu.pending.set(id, key);
    fu.errors.delete(id);
    fu.status = "";
    this._renderFollowups();
    let response = null;
    let error = "";
    try {
      const result = await this._hass.callWS({
        type: "call_service",
        domain: "raadhus_alarm",
        service: "follow_up",
        service_data: { incident_id: id, item: key, ...extra },
        return_response: true,
      });
      response = result && result.response;
    } catch (err) {
      error = await this._serviceErrorText(err);
    }
    fu.pending.delete(id);
    if (error) fu.errors.set(id, error);
    if (response && Array.isArray(response.items)) {
      const current = this._followupById(id);
      if (current) current.items = response.items;
      if (response.complete) fu.status = plain(t.fu_complete, { room: f.room_name });
    }
    this._renderFollowups();
    return error;
  }

  // Whom the debrief was held with: Home Assistant's persons, by name.

  _personCandidates() {
    const states = (this._hass && this._hass.states) || {};
    const collator = new Intl.Collator(this._lang === "da" ? "da" : "en");
    return Object.keys(states)
      .filter((id) => id.startsWith("person."))
      .map((id) => ({ id, name: String((states[id] && states[id].attributes && states[id].attributes.friendly_name) || id) }))
      .sort((a, b) => collator.compare(a.name, b.name));
  }

  _askPersons(f, item) {
    const candidates = this._personCandidates();
    // The server answers with names: those chosen before are ticked again.
    const before = new Set(Array.isArray(item.persons) ? item.persons : []);
    const chosen = new Set(candidates.filter((p) => before.has(p.name)).map((p) => p.id));
    this._openDialog("debrief_persons", {
      id: f.incident_id,
      room: f.room_name,
      vars: { room: f.room_name },
      candidates,
      chosen,
    });
  }

  _personsHtml(target) {
    const t = TEXTS[this._lang];
    if (!target.candidates.length) return `<p class="help" data-persons-none>${esc(t.persons_none)}</p>`;
    return (
      `<label class="field">${esc(t.persons_filter)}<input class="person-filter" type="search" autocomplete="off" spellcheck="false"></label>` +
      `<div class="person-list" role="group" aria-label="${esc(t.persons_help)}">` +
      target.candidates
        .map(
          (p) =>
            `<label class="check" data-person-name="${esc(p.name.toLowerCase())}"><input type="checkbox" data-person="${esc(p.id)}"` +
            `${target.chosen.has(p.id) ? " checked" : ""}><span>${esc(p.name)}</span></label>`,
        )
        .join("") +
      `</div>`
    );
  }

  _onPersonPicked(box) {
    const d = this._dialog;
    if (!d || d.action !== "debrief_persons" || d.pending) return;
    if (box.checked) d.target.chosen.add(box.dataset.person);
    else d.target.chosen.delete(box.dataset.person);
    d.error = "";
    this._renderDialog(false);
  }

  /** The search over the persons' names (those chosen stay in sight). */
  _filterPersons(value) {
    const query = String(value || "").trim().toLowerCase();
    for (const label of this.shadowRoot.querySelectorAll(".overlay .person-list .check")) {
      const box = label.querySelector("input");
      label.hidden = Boolean(query) && !label.dataset.personName.includes(query) && !box.checked;
    }
  }

  async _confirmPersons(d) {
    const target = d.target;
    if (target.candidates.length && !target.chosen.size) return;
    d.pending = true;
    d.error = "";
    this._renderDialog(false);
    // In the order they are shown (by name).
    const persons = target.candidates.map((p) => p.id).filter((id) => target.chosen.has(id));
    const f = this._followupById(target.id) || { incident_id: target.id, room_name: target.room };
    const error = await this._followUpCall(f, "debrief", { done: true, persons });
    if (this._dialog !== d) return;
    if (error) {
      d.pending = false;
      d.error = error;
      this._followups.errors.delete(target.id); // shown in the dialog, not twice
      this._renderDialog(false);
      this._renderFollowups();
      if (!this.shadowRoot.activeElement) this._q(".dialog [data-dismiss]").focus();
      return;
    }
    this._dialog = null;
    this._renderDialog(true);
    this._focusFollowup(target.id, '[data-tick="debrief"]');
  }

  // -- response statistics ----------------------------------------------------------

  /** Asked for each time the view opens (figures only: no names, no rooms). */
  async _loadStatistics() {
    const s = this._stats;
    const seq = ++s.seq;
    s.loading = true;
    this._renderStatistics();
    try {
      const result = await this._hass.callWS({ type: "raadhus_alarm/statistics" });
      if (seq !== s.seq) return;
      s.data = result && typeof result === "object" ? result : null;
      s.error = null;
    } catch (err) {
      const text = await this._commandErrorText(err);
      if (seq !== s.seq) return;
      s.data = null;
      s.error = `${TEXTS[this._lang].stats_error}: ${text}`;
    }
    s.loading = false;
    this._renderStatistics();
  }

  _renderStatistics() {
    if (this._view !== "statistics" || !this._data) return;
    const t = TEXTS[this._lang];
    const s = this._stats;
    const section = this._q(".stats");
    if (!section._built) {
      section.innerHTML =
        `<div class="view-head"><h2 id="stats-title" tabindex="-1"></h2>` +
        `<button class="hdr-btn back-btn" type="button"></button></div>` +
        `<div class="error stats-error" role="alert"></div><div class="stats-body"></div>`;
      section._built = true;
    }
    this._set(section.querySelector("h2"), `${ICONS.chart}<span>${esc(t.stats_title)}</span>`);
    this._set(section.querySelector(".back-btn"), esc(t.back));
    this._set(section.querySelector(".stats-error"), esc(s.error || ""));
    let html = "";
    if (s.data) {
      const months = Array.isArray(s.data.months) ? s.data.months.filter((m) => m && typeof m === "object") : [];
      html =
        this._statGroupHtml("last_30_days", t.stats_last_30, s.data.last_30_days) +
        this._statGroupHtml("drills", t.stats_drills_30, s.data.drills_last_30_days) +
        (months.length ? this._chartHtml(months) : "");
    } else if (!s.error) {
      html = `<p class="view-intro" data-stats-loading>${esc(t.stats_loading)}</p>`;
    }
    this._set(section.querySelector(".stats-body"), html);
    section.dataset.loading = String(s.loading);
  }

  /** A figure as shown: a count, or a time ("1 min 05 s"); null when there is none. */
  _statValue(key, value) {
    if (key === "count" || key === "cancelled") {
      const n = Number(value);
      return value === null || value === undefined || !Number.isFinite(n)
        ? null
        : esc(new Intl.NumberFormat(this._lang === "da" ? "da-DK" : "en-GB").format(n));
    }
    return duration(value, TEXTS[this._lang]);
  }

  _statGroupHtml(key, title, figures) {
    const t = TEXTS[this._lang];
    const values = figures && typeof figures === "object" ? figures : {};
    const cells = STAT_KEYS.map((k) => {
      const value = this._statValue(k, values[k]);
      const shown =
        value === null
          ? `<dd class="stat-value" data-empty="true"><span aria-hidden="true">–</span><span class="visually-hidden">${esc(t.stat_none)}</span></dd>`
          : `<dd class="stat-value">${value}</dd>`;
      return `<div class="stat" data-stat="${k}"><dt>${esc(t[`stat_${k}`])}</dt>${shown}</div>`;
    }).join("");
    return (
      `<section class="stat-group${key === "drills" ? " drills" : ""}" data-stat-group="${key}" aria-labelledby="stat-${key}">` +
      `<h3 id="stat-${key}">${esc(title)}</h3><dl class="stat-figures">${cells}</dl></section>`
    );
  }

  /**
   * Per month: a bar for the number of alarms (left axis) and a line for the
   * median time to acknowledge (right axis), drawn here as inline SVG. The
   * picture is hidden from screen readers; a hidden table has the numbers.
   */
  _chartHtml(months) {
    const t = TEXTS[this._lang];
    const W = 1200;
    const H = 330;
    const left = 64;
    const right = 92;
    const top = 30;
    const bottom = 64;
    const plotW = W - left - right;
    const plotH = H - top - bottom;
    const slot = plotW / months.length;
    const barW = Math.min(60, slot * 0.55);
    const num = (v) => (v === null || v === undefined || v === "" || !Number.isFinite(Number(v)) ? null : Number(v));
    const counts = months.map((m) => Math.max(0, num(m.count) || 0));
    const acks = months.map((m) => num(m.ack_median));
    const countStep = axisStep(Math.max(...counts), 4, [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]);
    const ackStep = axisStep(Math.max(0, ...acks.filter((v) => v !== null)), 4, [15, 30, 60, 120, 180, 300, 600, 900, 1800, 3600]);
    const x = (i) => left + slot * (i + 0.5);
    const yCount = (v) => top + plotH - (v / (countStep * 4)) * plotH;
    const yAck = (v) => top + plotH - (v / (ackStep * 4)) * plotH;
    const r = (v) => Math.round(v * 10) / 10;
    const numberFormat = new Intl.NumberFormat(this._lang === "da" ? "da-DK" : "en-GB");
    const parts = [];
    for (let k = 0; k <= 4; k += 1) {
      const y = r(top + plotH - (k * plotH) / 4);
      const seconds = k * ackStep;
      const time = seconds === 0 ? "0" : seconds % 60 ? duration(seconds, t) : fill(t.axis_min, { m: seconds / 60 });
      parts.push(
        `<line class="${k ? "grid" : "axis"}" x1="${left}" x2="${W - right}" y1="${y}" y2="${y}"/>` +
          `<text class="axis-label count" x="${left - 10}" y="${y + 5}" text-anchor="end">${numberFormat.format(k * countStep)}</text>` +
          `<text class="axis-label time" x="${W - right + 10}" y="${y + 5}" text-anchor="start">${time}</text>`,
      );
    }
    months.forEach((m, i) => {
      const count = counts[i];
      const long = monthName(m.month, this._lang, true);
      const ack = duration(acks[i], t);
      const tip = `${esc(long)}: ${count} ${esc(t.stat_count.toLowerCase())}${ack ? ` · ${esc(t.stats_legend_ack)} ${ack}` : ""}`;
      const y = r(yCount(count));
      parts.push(
        `<rect class="bar" data-month="${esc(m.month)}" data-count="${count}" x="${r(x(i) - barW / 2)}" y="${y}"` +
          ` width="${r(barW)}" height="${r(top + plotH - y)}"><title>${tip}</title></rect>`,
      );
      // The count in the bar's top (above a bar too low to hold it).
      const inside = top + plotH - y >= 30;
      if (count > 0) {
        parts.push(
          `<text class="bar-label${inside ? " inside" : ""}" x="${r(x(i))}" y="${r(inside ? y + 22 : y - 8)}" text-anchor="middle">` +
            `${numberFormat.format(count)}</text>`,
        );
      }
      // The month; its year under the first one and under each January.
      const year = i === 0 || String(m.month).endsWith("-01") ? String(m.month).slice(0, 4) : "";
      parts.push(
        `<text class="month-label" data-month="${esc(m.month)}" x="${r(x(i))}" y="${top + plotH + 26}" text-anchor="middle">` +
          `${esc(monthName(m.month, this._lang, false))}${year ? `<tspan x="${r(x(i))}" dy="21">${esc(year)}</tspan>` : ""}</text>`,
      );
    });
    // The median time to acknowledge: a line, broken where a month has none.
    let path = "";
    let previous = null;
    acks.forEach((v, i) => {
      if (v !== null) path += `${previous === null ? "M" : "L"}${r(x(i))} ${r(yAck(v))} `;
      previous = v;
    });
    if (path) parts.push(`<path class="ack-line" d="${path.trim()}"/>`);
    acks.forEach((v, i) => {
      if (v === null) return;
      parts.push(
        `<circle class="ack-point" data-month="${esc(months[i].month)}" cx="${r(x(i))}" cy="${r(yAck(v))}" r="6">` +
          `<title>${esc(monthName(months[i].month, this._lang, true))}: ${esc(t.stats_legend_ack)} ${duration(v, t)}</title></circle>`,
      );
    });
    const svg =
      `<svg class="chart" viewBox="0 0 ${W} ${H}" preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false"` +
      ` data-months="${months.length}">${parts.join("")}</svg>`;
    const cell = (k, m) => {
      const value = this._statValue(k, m[k]);
      return `<td data-stat="${k}">${value === null ? esc(t.stat_none) : value}</td>`;
    };
    const table =
      `<div class="visually-hidden stat-table-wrap"><table class="stat-table"><caption>${esc(t.stats_table)}</caption>` +
      `<thead><tr><th scope="col">${esc(t.stats_month)}</th>${STAT_KEYS.map((k) => `<th scope="col">${esc(t[`stat_${k}`])}</th>`).join("")}</tr></thead>` +
      `<tbody>${months
        .map((m) => `<tr data-month="${esc(m.month)}"><th scope="row">${esc(monthName(m.month, this._lang, true))}</th>${STAT_KEYS.map((k) => cell(k, m)).join("")}</tr>`)
        .join("")}</tbody></table></div>`;
    return (
      `<figure class="stat-chart" data-stat-chart>` +
      `<figcaption><span class="chart-title">${esc(t.stats_chart_title)}</span>` +
      `<span><span class="swatch bar" aria-hidden="true"></span>${esc(t.stats_legend_count)}</span>` +
      `<span><span class="swatch line" aria-hidden="true"></span>${esc(t.stats_legend_ack)}</span></figcaption>` +
      `${svg}${table}</figure>`
    );
  }


  // -- attendance bans (R8) -----------------------------------------------------

  _banById(id) {
    return (this._data && Array.isArray(this._data.bans) && this._data.bans.find((b) => b.id === id)) || null;
  }

  _mayWriteBans() {
    return Boolean(this._data && this._data.can_write_bans);
  }

  /** The bans matching the search (case number or centre), in the server's order. */
  _matchingBans(bans) {
    const query = this._bans.query.trim().toLowerCase();
    if (!query) return bans;
    const short = compact(query);
    return bans.filter(
      (b) =>
        `${b.case_reference}\n${b.centre}`.toLowerCase().includes(query) ||
        (short && (compact(b.case_reference).includes(short) || compact(b.centre).includes(short))),
    );
  }

  _searchBans(value) {
    this._bans.query = value;
    this._bans.status = "";
    this._renderBans();
  }

  /** Focus `selector` in the bans view if it is there, else the search. */
  _focusBans(selector) {
    if (this._view !== "bans") return;
    const el = (selector && this._q(`.bans ${selector}`)) || this._q(".bans input.ban-search");
    if (el) el.focus();
  }

  _renderBans() {
    if (this._view !== "bans" || !this._data) return;
    const t = TEXTS[this._lang];
    const section = this._q(".bans");
    if (!section._built) {
      // Built once: the search keeps its focus and what is typed in it.
      section.innerHTML =
        `<div class="bans-head"><h2 id="bans-title"></h2>` +
        `<button class="hdr-btn ban-new" type="button"></button>` +
        `<button class="hdr-btn back-btn" type="button"></button></div>` +
        `<div class="ban-find"><label class="field"><span class="label-text"></span>` +
        `<input class="ban-search" type="search" autocomplete="off" spellcheck="false" enterkeyhint="search"></label>` +
        `<span class="ban-shown" aria-live="polite"></span></div>` +
        `<div class="ban-status" role="status"></div>` +
        `<ol class="ban-list" aria-labelledby="bans-title"></ol>`;
      section._built = true;
    }
    const bans = this._data.bans || [];
    const shown = this._matchingBans(bans);
    this._set(
      section.querySelector("h2"),
      `${ICONS.ban}<span>${esc(t.bans_title)}</span>${bans.length ? ` <span class="count">(${bans.length})</span>` : ""}`,
    );
    const add = section.querySelector(".ban-new");
    add.hidden = !this._mayWriteBans();
    this._set(add, `${ICONS.ban}<span>${esc(t.ban_new)}</span>`);
    this._set(section.querySelector(".back-btn"), esc(t.back));
    this._set(section.querySelector(".label-text"), esc(t.bans_search));
    const search = section.querySelector(".ban-search");
    if (search.value !== this._bans.query) search.value = this._bans.query;
    this._set(
      section.querySelector(".ban-shown"),
      this._bans.query.trim() && bans.length ? fill(t.bans_shown, { n: shown.length, total: bans.length }) : "",
    );
    this._set(section.querySelector(".ban-status"), this._bans.status ? `${ICONS.check}<span>${esc(this._bans.status)}</span>` : "");
    let html;
    if (!bans.length) html = `<li class="empty" data-ban-empty>${esc(t.bans_empty)}</li>`;
    else if (!shown.length) html = `<li class="empty" data-ban-no-match>${fill(t.bans_no_match, { query: this._bans.query.trim() })}</li>`;
    else html = shown.map((b) => this._banRowHtml(b)).join("");
    // A push rebuilds the rows: a row's button that had the focus keeps it.
    const active = this.shadowRoot.activeElement;
    const list = section.querySelector(".ban-list");
    let refocus = null;
    if (active && list.contains(active)) {
      if (active.dataset.banChange) refocus = `[data-ban-change=${cssString(active.dataset.banChange)}]`;
      else if (active.dataset.banEnd) refocus = `[data-ban-end=${cssString(active.dataset.banEnd)}]`;
    }
    this._set(list, html);
    if (refocus && !list.contains(this.shadowRoot.activeElement)) this._focusBans(refocus);
  }

  /** One active ban: the case number large, then centre, end, who issued it, the letter. */
  _banRowHtml(ban) {
    const t = TEXTS[this._lang];
    const end = parseTime(ban.end);
    const writer = this._mayWriteBans();
    const letter = ban.letter_filed
      ? `<span class="badge letter filed">${ICONS.check}${esc(t.ban_letter_filed)}</span>`
      : `<span class="badge letter missing">${esc(t.ban_letter_missing)}</span>`;
    // The note is only for those who may write bans (the server sends null to the others).
    const note = writer && ban.note ? `<div class="ban-note">“${esc(ban.note)}”</div>` : "";
    const actions = writer
      ? `<div class="ban-actions">` +
        `<button type="button" data-ban-change="${esc(ban.id)}" aria-label="${esc(`${t.ban_change}: ${ban.case_reference}`)}">` +
        `${esc(t.ban_change)}</button>` +
        `<button type="button" data-ban-end="${esc(ban.id)}" aria-label="${esc(`${t.ban_end}: ${ban.case_reference}`)}">` +
        `${esc(t.ban_end)}</button></div>`
      : "";
    return (
      `<li class="ban-row" data-ban="${esc(ban.id)}" data-letter-filed="${ban.letter_filed ? "true" : "false"}">` +
      `<div class="ban-case">${esc(ban.case_reference)}</div>` +
      `<div class="ban-centre">${esc(ban.centre)}</div>` +
      `<div class="ban-until"${end ? ` title="${esc(`${this._clock.date(end)} ${this._clock.time(end)}`)}"` : ""}>` +
      `${end ? fill(t.ban_until, { date: this._clock.calendarDate(end) }) : ""}</div>` +
      `<div class="ban-meta">${ban.issued_by ? `<span class="ban-by">${fill(t.ban_issued_by, { name: ban.issued_by })}</span>` : ""}${letter}</div>` +
      `${note}${actions}</li>`
    );
  }

  /** Home Assistant's call_service for a ban service, as the logged-in user; the ban it answers with. */
  async _banService(service, data) {
    const result = await this._hass.callWS({
      type: "call_service",
      domain: "raadhus_alarm",
      service,
      service_data: data,
      return_response: true,
    });
    return (result && result.response && result.response.ban) || null;
  }

  /**
   * A refused service call in the user's language: the integration's own
   * translation of the refusal when Home Assistant has it (its websocket
   * sends "Validation error: " and the English text, with the translation
   * key), else the server's message. Never an object or a stack.
   */
  async _serviceErrorText(err) {
    const t = TEXTS[this._lang];
    if (!err || typeof err !== "object" || err instanceof Error || !err.code) return t.err_service;
    const hass = this._hass;
    if (err.translation_domain && err.translation_key && hass && typeof hass.loadBackendTranslation === "function") {
      try {
        const key = `component.${err.translation_domain}.exceptions.${err.translation_key}.message`;
        const localize = await hass.loadBackendTranslation("exceptions", err.translation_domain);
        const text = typeof localize === "function" ? localize(key, err.translation_placeholders || {}) : "";
        if (typeof text === "string" && text.trim() && text !== key) return text.trim();
      } catch (loadErr) {
        // No translations to be had: the server's message follows.
      }
    }
    const message = typeof err.message === "string" ? err.message.replace(/^Validation error:\s*/i, "").trim() : "";
    return message || t.err_service;
  }

  // The form (add or change): leaders and the centre chief only.

  /** The form for a new ban (`ban` null) or a change of `ban`; one an alarm hid comes back as it was. */
  _openBanForm(ban) {
    if (!this._data || !this._mayWriteBans()) return;
    if (!this._banForm) {
      const today = this._clock.wall(new Date()).date;
      const values = ban
        ? {
            case_reference: ban.case_reference || "",
            centre: ban.centre || "",
            start: parseTime(ban.start) ? this._clock.wall(parseTime(ban.start)).date : "",
            end: parseTime(ban.end) ? this._clock.wall(parseTime(ban.end)).date : "",
            note: ban.note || "",
            letter_filed: Boolean(ban.letter_filed),
          }
        : { case_reference: "", centre: "", start: today, end: "", note: "", letter_filed: false };
      this._banForm = {
        open: true,
        mode: ban ? "update" : "add",
        banId: ban ? ban.id : null,
        caseReference: ban ? ban.case_reference : "",
        initial: { ...values },
        values,
        saving: false,
        error: "",
      };
    }
    this._banForm.open = true;
    this._renderBanForm(true);
    const first = this._q('.ban-overlay [data-field="case_reference"]');
    if (first) first.focus();
  }

  /** Closed by the user ("go back", Escape): what was typed goes. */
  _closeBanForm() {
    const f = this._banForm;
    this._banForm = null;
    this._renderBanForm(true);
    if (f) this._focusBans(f.banId ? `[data-ban-change=${cssString(f.banId)}]` : ".ban-new");
  }

  _onBanFormInput(el) {
    const f = this._banForm;
    if (!f || !f.open || f.saving) return;
    f.values[el.dataset.field] = el.type === "checkbox" ? el.checked : el.value;
    f.error = "";
    this._renderBanForm(false);
  }

  _onBanFormClick(target) {
    if (target.closest("[data-form-close]")) this._closeBanForm();
    else if (target.closest("[data-save]")) this._saveBanForm();
  }

  /** What the service is sent: all that is filled in (a new ban), or only what was changed. */
  _banData(f) {
    const v = f.values;
    const text = (key) => String(v[key] || "").trim();
    if (f.mode === "add") {
      const data = { case_reference: text("case_reference"), centre: text("centre") };
      // Dates in the town hall's calendar; no end: the server's 6 months.
      if (v.start) data.start = v.start;
      if (v.end) data.end = v.end;
      if (text("note")) data.note = text("note");
      data.letter_filed = Boolean(v.letter_filed);
      return data;
    }
    const data = { ban_id: f.banId };
    for (const key of BAN_FIELDS) {
      const now = key === "letter_filed" ? Boolean(v[key]) : text(key);
      const before = key === "letter_filed" ? Boolean(f.initial[key]) : String(f.initial[key] || "").trim();
      if (now !== before) data[key] = now;
    }
    return data;
  }

  _banReady(f) {
    const v = f.values;
    if (f.saving || !String(v.case_reference).trim() || !String(v.centre).trim()) return false;
    // A change keeps both dates (an empty one would say nothing) and must change something.
    if (f.mode === "update") return Boolean(v.start && v.end) && Object.keys(this._banData(f)).length > 1;
    return true;
  }

  async _saveBanForm() {
    const f = this._banForm;
    if (!f || !this._banReady(f)) return;
    const t = TEXTS[this._lang];
    const data = this._banData(f);
    f.saving = true;
    f.error = "";
    this._renderBanForm(false);
    let ban = null;
    let error = "";
    try {
      ban = await this._banService(f.mode === "add" ? "add_ban" : "update_ban", data);
    } catch (err) {
      error = await this._serviceErrorText(err);
    }
    if (this._banForm !== f) return;
    f.saving = false;
    if (error) {
      // Refused: the form stays as it was typed, with the server's words.
      f.error = error;
      this._renderBanForm(false);
      const field = this._q(".ban-overlay [data-field]");
      if (f.open && field && !this.shadowRoot.activeElement) field.focus();
      return;
    }
    const caseReference = (ban && ban.case_reference) || data.case_reference || f.caseReference;
    const start = parseTime(ban && ban.start);
    this._bans.status =
      start && start.getTime() > Date.now()
        ? t.ban_saved_later.replace("{case}", caseReference).replace("{date}", this._clock.calendarDate(start))
        : t.ban_saved.replace("{case}", caseReference);
    this._banForm = null;
    this._renderBanForm(true);
    this._renderBans();
    this._focusBans(f.banId ? `[data-ban-change=${cssString(f.banId)}]` : ".ban-new");
  }

  /** `full`: rebuild (opening, a new language); otherwise keep what is being typed. */
  _renderBanForm(full) {
    if (!this._built) return;
    const overlay = this._q(".ban-overlay");
    const f = this._banForm;
    const shown = Boolean(f && f.open && this._data && this._mayWriteBans());
    overlay.hidden = !shown;
    if (!shown) {
      overlay.innerHTML = "";
      overlay._lang = null;
      return;
    }
    const t = TEXTS[this._lang];
    if (full || !overlay.firstElementChild || overlay._lang !== this._lang) {
      overlay._lang = this._lang;
      overlay.innerHTML = this._banFormHtml(f);
    }
    for (const el of overlay.querySelectorAll("[data-field]")) {
      const value = f.values[el.dataset.field];
      if (el.type === "checkbox") el.checked = Boolean(value);
      else if (el.value !== value) el.value = value;
      el.disabled = f.saving;
    }
    const from = f.values.start || this._clock.wall(new Date()).date;
    const until = addMonthsToDate(from, BAN_MONTHS);
    const untilDate = until ? parseTime(`${until}T12:00:00Z`) : null;
    this._set(
      overlay.querySelector(".end-hint"),
      f.mode === "add" && untilDate ? esc(t.bf_end_help.replace("{date}", this._calendarDateUtc(untilDate))) : "",
    );
    overlay.querySelector(".error").textContent = f.error;
    const save = overlay.querySelector("[data-save]");
    save.disabled = !this._banReady(f);
    save.textContent = `${f.mode === "add" ? t.bf_save : t.bf_save_changes}${f.saving ? " …" : ""}`;
  }

  /** A form's "YYYY-MM-DD" (read at noon UTC) as the calendar date it is, whatever the zone. */
  _calendarDateUtc(date) {
    const locale = this._lang === "da" ? "da-DK" : "en-GB";
    const options =
      this._lang === "da"
        ? { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }
        : { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
    return new Intl.DateTimeFormat(locale, options).format(date);
  }

  _banFormHtml(f) {
    const t = TEXTS[this._lang];
    const title = f.mode === "add" ? esc(t.ban_new) : fill(t.ban_edit_title, { case: f.caseReference });
    // The centres of the bans there are, to pick from (any other may be typed).
    const centres = [...new Set((this._data.bans || []).map((b) => b.centre).filter(Boolean))]
      .map((c) => `<option value="${esc(c)}"></option>`)
      .join("");
    return (
      `<div class="dialog ban-form" role="dialog" aria-modal="true" aria-labelledby="ban-form-title" data-dialog="ban"` +
      ` data-mode="${f.mode}"${f.banId ? ` data-ban-id="${esc(f.banId)}"` : ""}>` +
      `<h2 id="ban-form-title">${ICONS.ban}<span>${title}</span></h2>` +
      `<div class="ban-grid">` +
      // Hints outside the labels: a field's name stays short for a screen reader.
      `<div class="field"><label for="ban-case">${esc(t.bf_case)}</label><input id="ban-case" type="text"` +
      ` data-field="case_reference" maxlength="100" autocomplete="off" spellcheck="false" required` +
      ` aria-describedby="ban-case-help"><span class="hint" id="ban-case-help">${esc(t.bf_case_help)}</span></div>` +
      `<div class="field"><label for="ban-centre">${esc(t.bf_centre)}</label><input id="ban-centre" type="text"` +
      ` data-field="centre" maxlength="100" list="ban-centres" autocomplete="off" required>` +
      `<datalist id="ban-centres">${centres}</datalist></div>` +
      `<div class="field"><label for="ban-start">${esc(t.bf_start)}</label>` +
      `<input id="ban-start" type="date" data-field="start"${f.mode === "update" ? " required" : ""}></div>` +
      `<div class="field"><label for="ban-end">${esc(t.bf_end)}</label><input id="ban-end" type="date" data-field="end"` +
      ` aria-describedby="ban-end-help"${f.mode === "update" ? " required" : ""}>` +
      `<span class="hint end-hint" id="ban-end-help"></span></div>` +
      `</div>` +
      `<div class="note-field"><label for="ban-note">${esc(t.bf_note)}</label><textarea id="ban-note" data-field="note"` +
      ` maxlength="1000" rows="2" aria-describedby="ban-note-help"></textarea>` +
      `<span class="hint" id="ban-note-help">${esc(t.bf_note_help)}</span></div>` +
      `<label class="check"><input type="checkbox" data-field="letter_filed"><span>${esc(t.bf_letter)}</span></label>` +
      `<div class="error" role="alert"></div>` +
      `<div class="dialog-actions"><button type="button" class="dismiss" data-form-close>${esc(t.dismiss)}</button>` +
      `<button type="button" class="confirm" data-save></button></div></div>`
    );
  }

  // Ending a ban early: confirmed, as closing an alarm is.

  _askEndBan(ban) {
    if (!this._mayWriteBans()) return;
    const end = parseTime(ban.end);
    this._openDialog("end_ban", {
      id: ban.id,
      vars: { case: ban.case_reference, centre: ban.centre, date: end ? this._clock.calendarDate(end) : "" },
    });
  }

  async _confirmEndBan(d) {
    const t = TEXTS[this._lang];
    d.pending = true;
    d.error = "";
    this._renderDialog(false);
    let error = "";
    try {
      await this._banService("end_ban", { ban_id: d.target.id });
    } catch (err) {
      error = await this._serviceErrorText(err);
    }
    if (this._dialog !== d) return;
    if (error) {
      d.pending = false;
      d.error = error;
      this._renderDialog(false);
      // The disabled button lost the focus: back into the dialog (Escape, Tab).
      if (!this.shadowRoot.activeElement) this._q(".dialog [data-dismiss]").focus();
      return;
    }
    this._bans.status = t.ban_ended.replace("{case}", d.target.vars.case);
    this._dialog = null;
    this._renderDialog(true);
    this._renderBans();
    this._focusBans(null); // the row goes with the next push: the search, for the next case
  }

  // -- camera ---------------------------------------------------------------

  _cameraToken(entity) {
    const state = entity && this._hass && this._hass.states && this._hass.states[entity];
    return state && state.attributes ? state.attributes.access_token : null;
  }

  /**
   * Show (want = {entity}) or remove (want = null) the room's live camera.
   * The <img> is created once per alarm and kept across state pushes, so the
   * MJPEG stream is not restarted on every update. If the stream fails, it
   * falls back to a still image refreshed every two seconds.
   */
  _setCamera(tile, want) {
    const t = TEXTS[this._lang];
    const cam = tile._parts.cam;
    const current = tile._camera;
    if (!want) {
      if (current && current.img) {
        current.img.onerror = null;
        current.img.removeAttribute("src"); // closes the stream
      }
      tile._camera = null;
      cam.classList.remove("shown");
      cam.textContent = "";
      return;
    }
    if (current && current.entity === want.entity) return;
    if (current) this._setCamera(tile, null);
    cam.classList.add("shown");
    if (!want.entity) {
      cam.innerHTML = `<div class="cam-msg">${esc(t.no_camera)}</div>`;
      tile._camera = { entity: null };
      return;
    }
    const img = document.createElement("img");
    img.alt = want.entity;
    const state = { entity: want.entity, img, mode: "stream", next: 0 };
    tile._camera = state;
    img.onerror = () => {
      if (tile._camera !== state) return;
      if (state.mode === "stream") {
        state.mode = "still"; // e.g. a proxy that cannot stream
        state.next = 0;
      } else {
        cam.querySelector(".cam-msg") || cam.insertAdjacentHTML("beforeend", `<div class="cam-msg">${esc(t.camera_error)}</div>`);
        state.next = Date.now() + 5000;
      }
    };
    img.onload = () => {
      const msg = cam.querySelector(".cam-msg");
      if (msg) msg.remove();
    };
    cam.textContent = "";
    cam.appendChild(img);
    this._loadCamera(state);
  }

  _loadCamera(state) {
    const token = this._cameraToken(state.entity);
    if (!token) return; // not in hass.states yet; retried on the next update
    state.token = token;
    const entity = encodeURIComponent(state.entity);
    state.img.src =
      state.mode === "stream"
        ? `/api/camera_proxy_stream/${entity}?token=${encodeURIComponent(token)}`
        : `/api/camera_proxy/${entity}?token=${encodeURIComponent(token)}&t=${Date.now()}`;
  }

  /** Camera tokens rotate; a running stream keeps going, new loads need the new one. */
  _refreshCameraTokens() {
    for (const tile of this._tiles.values()) {
      const state = tile._camera;
      if (state && state.img && !state.token) this._loadCamera(state);
    }
  }

  _refreshSnapshot(tile, now) {
    const state = tile._camera;
    if (!state || !state.img || state.mode !== "still") return;
    if (now.getTime() < state.next) return;
    state.next = now.getTime() + 2000;
    this._loadCamera(state);
  }

  // -- side column: meetings and button health -------------------------------

  _renderSide() {
    const t = TEXTS[this._lang];
    const d = this._data;
    if (!d) {
      this._set(this._q(".meetings"), "");
      this._set(this._q(".health"), "");
      this._q(".meetings").hidden = true;
      this._q(".health").hidden = true;
      return;
    }
    this._q(".meetings").hidden = false;
    this._q(".health").hidden = false;

    // Everyone may announce (the server decides): the button is always there.
    const meetings = (d.meetings || []).map((m) => this._meetingHtml(m));
    this._set(
      this._q(".meetings"),
      `<h2>${ICONS.calendar}${esc(t.meetings_title)}</h2>` +
        (meetings.length ? `<ul>${meetings.join("")}</ul>` : `<div class="empty">${esc(t.no_meetings)}</div>`) +
        `<button class="hdr-btn announce-btn" type="button">${ICONS.calendar}<span>${esc(t.announce)}</span></button>`,
    );

    const buttons = [];
    const bad = [];
    for (const room of d.rooms || []) {
      if (!(room.buttons || []).length) bad.push(`<li class="health-bad">${esc(room.name)}: ${esc(t.no_button)}</li>`);
      for (const b of room.buttons || []) {
        buttons.push(b);
        if (b.problem) {
          bad.push(
            `<li class="health-bad" data-button="${esc(b.name)}">${esc(room.name)} — ${esc(b.name)}: ` +
              `${esc(t[`problem_${b.problem}`] || b.problem)}</li>`,
          );
        }
      }
    }
    this._set(
      this._q(".health"),
      `<h2>${bad.length ? ICONS.warning : ICONS.check}${esc(t.buttons_title)}</h2>` +
        (bad.length
          ? `<ul>${bad.join("")}</ul>`
          : `<div class="health-ok">${ICONS.check}${fill(t.buttons_ok, { n: buttons.length })}</div>`),
    );
  }

  /** One of today's meetings: when, where, monitored, running now, who announced it. */
  _meetingHtml(meeting) {
    const t = TEXTS[this._lang];
    const classes = `meeting${meeting.monitored ? " monitored" : ""}${meeting.active ? " active" : ""}`;
    return (
      `<li class="${classes}" data-meeting="${esc(meeting.id)}" data-active="${meeting.active ? "true" : "false"}"` +
      ` data-monitored="${meeting.monitored ? "true" : "false"}">` +
      `<span class="when">${esc(this._span(meeting))}</span><span class="room">${esc(meeting.room_name || "?")}</span>` +
      (meeting.monitored ? `<span class="tag monitored">${esc(t.m_monitored)}</span>` : "") +
      (meeting.active ? `<span class="tag now">${esc(t.m_now)}</span>` : "") +
      (meeting.announced_by ? `<div class="by">${fill(t.m_by, { name: meeting.announced_by })}</div>` : "") +
      `</li>`
    );
  }

  /** "13:00–14:00" in the town hall's zone. */
  _span(meeting) {
    const start = parseTime(meeting && meeting.start);
    const end = parseTime(meeting && meeting.end);
    return start && end ? `${this._clock.time(start)}–${this._clock.time(end)}` : "";
  }

  // -- announcing a difficult meeting (R7) ------------------------------------

  /**
   * The form: as it was when an alarm hid it, or new (the first room, today,
   * the next full hour, an hour long). Its warnings come from the server
   * before it can be saved.
   */
  _openForm() {
    if (!this._data) return;
    if (!this._form) {
      const next = this._clock.wall(new Date((Math.floor(Date.now() / 3600000) + 1) * 3600000));
      const rooms = this._data.rooms || [];
      this._form = {
        open: true,
        values: {
          room: rooms.length ? rooms[0].id : "",
          date: next.date,
          start: next.time,
          end: addMinutes(next.time, DEFAULT_LENGTH),
          monitored: false,
          note: "",
        },
        preview: { key: null, warnings: null, error: "", loading: false },
        seq: 0,
        saving: false,
        error: "",
        result: null,
      };
    }
    this._form.open = true;
    this._renderForm(true);
    if (!this._form.result && this._form.preview.key !== this._formKey(this._form.values)) this._preview();
    const first = this._q('.form-overlay [data-field="room"], .form-overlay [data-form-close]');
    if (first) first.focus();
  }

  /** Closed by the user ("go back", "close", Escape): what was typed goes. */
  _closeForm() {
    window.clearTimeout(this._formTimer);
    this._form = null;
    this._renderForm(true);
  }

  _formKey(v) {
    return [v.room, v.date, v.start, v.end].join("|");
  }

  /** Saving needs the warnings for exactly what is in the form now. */
  _formReady(f) {
    const p = f.preview;
    return !f.saving && !p.loading && p.warnings !== null && p.key === this._formKey(f.values);
  }

  _onFormInput(el) {
    const f = this._form;
    if (!f || !f.open || f.result) return;
    const field = el.dataset.field;
    f.values[field] = el.type === "checkbox" ? el.checked : el.value;
    f.error = "";
    if (["room", "date", "start", "end"].includes(field)) {
      window.clearTimeout(this._formTimer);
      this._formTimer = window.setTimeout(() => this._preview(), PREVIEW_DELAY_MS);
    }
    this._renderForm(false);
  }

  _onFormClick(target) {
    const f = this._form;
    if (target.closest("[data-form-close]")) {
      this._closeForm();
      return;
    }
    if (f.result || f.saving) return;
    const v = f.values;
    const duration = target.closest("[data-duration]");
    const use = target.closest("[data-use-suggestion]");
    if (duration) {
      v.end = addMinutes(v.start, Number(duration.dataset.duration));
    } else if (use) {
      // The police's next slot, the meeting as long as it was. The server
      // gives it in the town hall's local time, as the fields hold it.
      const iso = use.dataset.useSuggestion;
      const length = lengthOf(v.start, v.end) || DEFAULT_LENGTH;
      v.date = iso.slice(0, 10);
      v.start = iso.slice(11, 16);
      v.end = addMinutes(v.start, length);
    } else {
      if (target.closest("[data-save]")) this._saveForm();
      return;
    }
    f.error = "";
    this._renderForm(false);
    this._preview();
  }

  /** What the officers will be warned about, shown before saving (nothing is saved). */
  async _preview() {
    window.clearTimeout(this._formTimer);
    const f = this._form;
    if (!f || !f.open || f.result) return;
    const v = { ...f.values };
    const key = this._formKey(v);
    const seq = ++f.seq;
    if (!v.room || !v.date || !v.start || !v.end) {
      f.preview = { key, warnings: null, error: "", loading: false };
      this._renderForm(false);
      return; // half filled in: nothing to ask yet
    }
    f.preview = { key, warnings: null, error: "", loading: true };
    this._renderForm(false);
    let preview;
    try {
      const result = await this._hass.callWS({
        type: "raadhus_alarm/meeting_preview",
        room_id: v.room,
        start: `${v.date}T${v.start}`,
        end: `${v.date}T${v.end}`,
      });
      preview = { key, warnings: result.warnings || [], error: "", loading: false };
    } catch (err) {
      preview = { key, warnings: null, error: this._errorText(err), loading: false };
    }
    if (this._form !== f || seq !== f.seq) return; // the form changed since
    f.preview = preview;
    this._renderForm(false);
  }

  async _saveForm() {
    const f = this._form;
    if (!f || !this._formReady(f)) return;
    const v = f.values;
    f.saving = true;
    f.error = "";
    this._renderForm(false);
    // Times without a zone: the server reads them in the town hall's zone,
    // as the fields show them.
    const message = {
      type: "raadhus_alarm/announce_meeting",
      room_id: v.room,
      start: `${v.date}T${v.start}`,
      end: `${v.date}T${v.end}`,
      monitored: Boolean(v.monitored),
      note: v.note.trim(),
    };
    try {
      const result = await this._hass.callWS(message);
      if (this._form !== f) return;
      f.result = result;
    } catch (err) {
      if (this._form !== f) return;
      f.error = this._errorText(err);
    }
    f.saving = false;
    this._renderForm(false);
    if (f.result && f.open) {
      const close = this._q(".form-overlay [data-form-close]");
      if (close) close.focus();
    }
  }

  /** `full`: rebuild (opening, a new language); otherwise keep what is being typed. */
  _renderForm(full) {
    if (!this._built) return;
    const overlay = this._q(".form-overlay");
    const f = this._form;
    const shown = Boolean(f && f.open && this._data);
    overlay.hidden = !shown;
    if (!shown) {
      overlay.innerHTML = "";
      overlay._mode = null;
      return;
    }
    const t = TEXTS[this._lang];
    const mode = f.result ? "result" : "form";
    if (full || overlay._mode !== mode || overlay._lang !== this._lang) {
      overlay._mode = mode;
      overlay._lang = this._lang;
      overlay.innerHTML = mode === "result" ? this._resultHtml(f) : this._formHtml();
    }
    if (mode === "result") return;
    // The fields follow the form's values (a duration or the police's slot
    // changes them); the one being typed in already has its value.
    for (const el of overlay.querySelectorAll("[data-field]")) {
      const value = f.values[el.dataset.field];
      if (el.type === "checkbox") el.checked = Boolean(value);
      else if (el.value !== value) el.value = value;
      el.disabled = f.saving;
    }
    const length = lengthOf(f.values.start, f.values.end);
    for (const chip of overlay.querySelectorAll("[data-duration]")) {
      chip.setAttribute("aria-pressed", String(Number(chip.dataset.duration) === length));
      chip.disabled = f.saving;
    }
    this._set(overlay.querySelector(".form-warnings"), this._warningsHtml(f.preview, !f.saving));
    overlay.querySelector(".error").textContent = f.error || f.preview.error;
    const save = overlay.querySelector("[data-save]");
    const ready = this._formReady(f);
    save.disabled = !ready;
    // Announcing despite a warning is allowed, and said so on the button.
    const warned = f.preview.warnings && f.preview.warnings.length > 0;
    save.textContent = `${warned ? t.save_anyway : t.save}${f.saving ? " …" : ""}`;
  }

  _formHtml() {
    const t = TEXTS[this._lang];
    const rooms = (this._data.rooms || []).map((r) => `<option value="${esc(r.id)}">${esc(r.name)}</option>`).join("");
    const chips = DURATIONS.map(
      (m) => `<button type="button" class="chip" data-duration="${m}" aria-pressed="false">${esc(t[`dur_${m}`])}</button>`,
    ).join("");
    return (
      `<div class="dialog meeting-form" role="dialog" aria-modal="true" aria-labelledby="form-title" data-dialog="meeting">` +
      `<h2 id="form-title">${ICONS.calendar}${esc(t.announce)}</h2>` +
      `<div class="form-grid">` +
      `<label class="field">${esc(t.f_room)}<select data-field="room">${rooms}</select></label>` +
      `<label class="field">${esc(t.f_date)}<input type="date" data-field="date" required></label>` +
      `<label class="field">${esc(t.f_start)}<input type="time" data-field="start" step="300" required></label>` +
      `<label class="field">${esc(t.f_end)}<input type="time" data-field="end" step="300" required></label>` +
      `</div>` +
      `<div class="durations" role="group" aria-label="${esc(t.f_length)}"><span class="field-label">${esc(t.f_length)}</span>${chips}</div>` +
      `<label class="check"><input type="checkbox" data-field="monitored">` +
      `<span>${esc(t.f_monitored)} <span class="hint">${esc(t.f_monitored_help)}</span></span></label>` +
      `<label class="note-field">${esc(t.f_note)}<textarea data-field="note" maxlength="1000" rows="2"></textarea>` +
      `<span class="hint">${esc(t.f_note_help)}</span></label>` +
      `<div class="form-warnings" aria-live="polite"></div>` +
      `<div class="error" role="alert"></div>` +
      `<div class="dialog-actions"><button type="button" class="dismiss" data-form-close>${esc(t.dismiss)}</button>` +
      `<button type="button" class="confirm" data-save></button></div></div>`
    );
  }

  _resultHtml(f) {
    const t = TEXTS[this._lang];
    const meeting = f.result.meeting || {};
    const start = parseTime(meeting.start);
    const when = start ? `${this._clock.date(start)} ${this._span(meeting)}` : "";
    const warnings = f.result.warnings || [];
    return (
      `<div class="dialog meeting-form" role="dialog" aria-modal="true" aria-labelledby="form-title" data-dialog="meeting"` +
      ` data-saved="${esc(f.result.meeting_id)}">` +
      `<h2 id="form-title">${ICONS.check}${esc(t.saved_title)}</h2>` +
      `<p class="help saved-text">${fill(t.saved_text, { room: meeting.room_name || "", when })}</p>` +
      (meeting.monitored ? `<p class="help">${esc(t.saved_monitored)}</p>` : "") +
      (warnings.length ? `<ul class="warnings">${warnings.map((w) => this._warningHtml(w, false)).join("")}</ul>` : "") +
      `<div class="dialog-actions"><button type="button" class="confirm" data-form-close>${esc(t.close)}</button></div></div>`
    );
  }

  _warningsHtml(preview, offerSuggestion) {
    const t = TEXTS[this._lang];
    if (preview.loading) return `<div class="form-checking">${esc(t.f_checking)}</div>`;
    if (!preview.warnings) return "";
    if (!preview.warnings.length) {
      return `<div class="form-ok" data-warning="none">${ICONS.check}<span>${esc(t.f_ok)}</span></div>`;
    }
    return `<ul class="warnings">${preview.warnings.map((w) => this._warningHtml(w, offerSuggestion)).join("")}</ul>`;
  }

  /** One warning in plain words; outside the officers' hours, the police's next slot to use. */
  _warningHtml(warning, offerSuggestion) {
    const t = TEXTS[this._lang];
    const lines = [];
    let action = "";
    if (warning.key === "outside_officer_hours") {
      lines.push(`<strong>${esc(t.w_outside_officer_hours)}</strong>`);
      const at = parseTime(warning.suggestion);
      if (warning.police_present) {
        lines.push(esc(t.w_police_present));
      } else if (at) {
        const when = `${this._clock.date(at)} ${fill(t.at_time, { time: this._clock.time(at) })}`;
        lines.push(`<span class="suggestion">${fill(t.w_suggestion, { when })}</span>`);
        if (offerSuggestion) {
          action =
            `<button type="button" class="hdr-btn use-suggestion" data-use-suggestion="${esc(warning.suggestion)}">` +
            `${esc(t.use_suggestion)}</button>`;
        }
      } else {
        lines.push(esc(t.w_no_suggestion));
      }
    } else if (warning.key === "overlap") {
      const other = warning.other;
      const span = this._span(other);
      lines.push(
        `<strong>${span ? fill(t.w_overlap, { when: span, name: other.announced_by || "?" }) : esc(t.w_overlap_unknown)}</strong>`,
      );
    } else if (warning.key === "no_officer_schedule") {
      lines.push(`<strong>${esc(t.w_no_officer_schedule)}</strong>`);
    } else {
      lines.push(esc(warning.key)); // a warning newer than this panel
    }
    return (
      `<li class="warning" data-warning="${esc(warning.key)}">${ICONS.warning}` +
      `<div class="warning-text">${lines.map((line) => `<div>${line}</div>`).join("")}${action}</div></li>`
    );
  }
}

if (!customElements.get("raadhus-alarm-panel")) {
  customElements.define("raadhus-alarm-panel", RaadhusAlarmPanel);
}
