//! The deck on the page (steps, keys, guesses) and the embed API (requests read strictly,
//! events written as JSON), without a browser.

use ualign::config::{is_origin, Config};
use ualign::deck::{read_deck, Deck};
use ualign::embed::{
    check_size, event_json, read_host_message, EmbedState, HostCommand, MAX_MESSAGE_BYTES,
};
use ualign::page::shortcuts::{shortcut, KeyPress, KeyTarget, Shortcut};
use ualign::page::tour::{DeckView, Guess, TourMove};
use ualign::url;

const TOUR: &str = include_str!("../../static/tour.json");

fn tour() -> Deck {
    read_deck(TOUR).unwrap()
}

#[test]
fn a_deck_view_steps_clamps_and_asks_before_it_reveals() {
    let mut v = DeckView::new(tour(), 1);
    assert_eq!(v.counter(), "1 / 11");
    assert!(v.revealed, "step 1 asks nothing");
    assert_eq!(v.go(TourMove::Prev), None, "nothing before the first step");
    assert_eq!(v.go(TourMove::Next), Some(2));
    let q = v.asking().expect("step 2 asks for a guess");
    assert!(q.prompt.contains("four times"));
    assert!(!v.revealed);
    // A guess must be a win rate; a comma reads as a decimal point.
    assert!(v.read_guess("1.5", &[]).is_err());
    assert!(v.read_guess("most", &[]).is_err());
    let g = v.read_guess(" 0,8 ", &[]).unwrap();
    assert_eq!(g, Guess::Number(0.8));
    assert_eq!(
        v.verdict(Some(0.51), None),
        None,
        "no verdict before the reveal"
    );
    v.reveal(g);
    assert!(v.asking().is_none());
    let verdict = v.verdict(Some(0.51), None).unwrap();
    assert!(
        verdict.contains("0.80") && verdict.contains("0.5100") && verdict.contains("0.29"),
        "{verdict}"
    );
    // Leaving the step and coming back asks again.
    assert_eq!(v.go(TourMove::Next), Some(3));
    assert_eq!(v.go(TourMove::Prev), Some(2));
    assert!(v.asking().is_some() && v.guess.is_none());
    assert_eq!(
        v.go(TourMove::Goto(99)),
        Some(11),
        "clamped to the last step"
    );
    assert_eq!(v.go(TourMove::Next), None);
    assert_eq!(v.go(TourMove::Goto(11)), None, "already there");
    assert_eq!(v.go(TourMove::Leave), None);
    assert_eq!(DeckView::new(tour(), 0).number(), 1);
    assert_eq!(DeckView::new(tour(), 40).number(), 11);
    assert_eq!(v.next_step(), None);
}

#[test]
fn a_label_guess_is_one_of_the_responses() {
    let mut deck = tour();
    let q = deck.steps[1].question.as_mut().unwrap();
    q.answer = ualign::deck::Answer::NlhfTop;
    let v = DeckView::new(deck, 2);
    let labels = vec!["A".to_string(), "B".to_string()];
    assert_eq!(v.read_guess("B", &labels), Ok(Guess::Label("B".into())));
    assert!(v.read_guess("C", &labels).is_err());
    let mut v = v;
    v.reveal(Guess::Label("B".into()));
    assert_eq!(
        v.verdict(None, Some("A")).unwrap(),
        "Your guess B; NLHF puts most on A."
    );
}

#[test]
fn clicker_keys_move_through_a_deck_only_while_one_is_shown() {
    let key = |key, target, touring| {
        shortcut(&KeyPress {
            key,
            ctrl: false,
            meta: false,
            alt: false,
            shift: false,
            target,
            touring,
        })
    };
    let tour = |m| Some(Shortcut::Tour(m));
    assert_eq!(key("PageDown", KeyTarget::Page, true), tour(TourMove::Next));
    assert_eq!(
        key("ArrowRight", KeyTarget::Page, true),
        tour(TourMove::Next)
    );
    assert_eq!(key("PageUp", KeyTarget::Page, true), tour(TourMove::Prev));
    assert_eq!(
        key("ArrowLeft", KeyTarget::Page, true),
        tour(TourMove::Prev)
    );
    assert_eq!(key("Escape", KeyTarget::Page, true), tour(TourMove::Leave));
    assert_eq!(key("3", KeyTarget::Page, true), tour(TourMove::Goto(3)));
    assert_eq!(key("0", KeyTarget::Page, true), None);
    assert_eq!(key("b", KeyTarget::Page, true), Some(Shortcut::Blank));
    assert_eq!(key("f", KeyTarget::Page, true), Some(Shortcut::FullScreen));
    assert_eq!(
        key("b", KeyTarget::Page, false),
        None,
        "b and f only present a deck"
    );
    assert_eq!(key("f", KeyTarget::Control, true), None);
    // A clicked button keeps focus: the clicker's keys still work there, arrows do not; a
    // slider keeps all of its keys (the guess is one), but Escape still leaves.
    assert_eq!(
        key("PageDown", KeyTarget::Button, true),
        tour(TourMove::Next)
    );
    assert_eq!(key("ArrowRight", KeyTarget::Button, true), None);
    assert_eq!(key("PageDown", KeyTarget::Control, true), None);
    assert_eq!(
        key("Escape", KeyTarget::Control, true),
        tour(TourMove::Leave)
    );
    assert_eq!(key("PageDown", KeyTarget::TextEntry, true), None);
    // Outside a deck the keys keep their meaning (→ is one iteration; PageDown scrolls).
    assert_eq!(
        key("ArrowRight", KeyTarget::Page, false),
        Some(Shortcut::Step)
    );
    assert_eq!(key("PageDown", KeyTarget::Page, false), None);
    assert_eq!(key("Escape", KeyTarget::Page, false), None);
    assert_eq!(key(" ", KeyTarget::Page, true), Some(Shortcut::PlayPause));
}

#[test]
fn tour_and_origins_round_trip_in_links_and_a_tour_link_needs_no_version() {
    let c = Config {
        tour: 4,
        origins: vec![
            "https://slides.example".into(),
            "http://localhost:8000".into(),
        ],
        embed: true,
        ..Config::default()
    };
    let f = url::encode(&c);
    assert!(
        f.ends_with("&tour=4&origins=https://slides.example,http://localhost:8000"),
        "{f}"
    );
    assert_eq!(url::decode(&f), Ok(c.clone()));
    assert!(c.same_computation(&Config::default()), "display only");
    let typed = url::decode("#tour=3").unwrap();
    assert_eq!(typed.tour, 3);
    assert_eq!(Config { tour: 0, ..typed }, Config::default());
    assert!(
        url::decode("embed=1").is_err(),
        "only a tour link may leave out v"
    );
    for bad in [
        "v=1&tour=201",
        "v=1&tour=x",
        "v=1&origins=example.com",
        "v=1&origins=https://a.example/path",
        "v=1&origins=ftp://a.example",
        "v=1&origins=",
        "v=1&origins=https://a,https://b,https://c,https://d,https://e,https://f,https://g,https://h,https://i",
    ] {
        assert!(url::decode(bad).is_err(), "{bad}");
    }
}

#[test]
fn origins_are_scheme_host_and_port_only() {
    for good in [
        "https://a.example",
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "https://[::1]:8443",
        "http://[::1]",
        "https://a.example:80",
    ] {
        assert!(is_origin(good), "{good}");
    }
    for bad in [
        "",
        "null",
        "https://",
        "https://a.example/",
        "https://a.example:",
        "https://a.example:123456",
        "https://a b",
        "https://user@a.example",
        "javascript:alert(1)",
        "https://a.example:80:80",
        "HTTPS://a.example",
        "https://A.example",
        "https://a.example:443",
        "http://a.example:80",
        "http://a.example:080",
    ] {
        assert!(!is_origin(bad), "{bad}");
    }
}

#[test]
fn host_messages_are_read_strictly() {
    let read = |s: &str| read_host_message(s);
    assert_eq!(
        read(r#"{"ualign":1,"method":"play"}"#),
        Ok(HostCommand::Play)
    );
    assert_eq!(
        read(r#"{"ualign":1,"method":"pause","args":{}}"#),
        Ok(HostCommand::Pause)
    );
    for (m, c) in [
        ("step", HostCommand::Step),
        ("restart", HostCommand::Restart),
        ("next", HostCommand::Next),
        ("prev", HostCommand::Prev),
        ("get", HostCommand::Get),
    ] {
        assert_eq!(read(&format!(r#"{{"ualign":1,"method":"{m}"}}"#)), Ok(c));
    }
    assert_eq!(
        read(r#"{"ualign":1,"method":"goto","args":{"step":3}}"#),
        Ok(HostCommand::Goto(3))
    );
    assert_eq!(
        read(r##"{"ualign":1,"method":"load","args":{"fragment":"#v=1&k=6"}}"##),
        Ok(HostCommand::Load("#v=1&k=6".into()))
    );
    for (bad, why) in [
        ("", "not an embed API message"),
        ("[]", "not an embed API message"),
        (r#"{"ualign":2,"method":"play"}"#, "version 2"),
        (r#"{"method":"play"}"#, "missing field `ualign`"),
        (r#"{"ualign":1,"method":"fly"}"#, "unknown method"),
        (r#"{"ualign":1,"method":"play","extra":1}"#, "unknown field"),
        (
            r#"{"ualign":1,"method":"play","args":{"step":1}}"#,
            "play takes no args",
        ),
        (r#"{"ualign":1,"method":"goto"}"#, "goto takes args.step"),
        (
            r#"{"ualign":1,"method":"goto","args":{"step":0}}"#,
            "from 1 to 200",
        ),
        (
            r#"{"ualign":1,"method":"goto","args":{"step":-1}}"#,
            "not an embed",
        ),
        (
            r#"{"ualign":1,"method":"goto","args":{"step":1.5}}"#,
            "not an embed",
        ),
        (
            r#"{"ualign":1,"method":"load","args":{"fragment":"v=1&k=0"}}"#,
            "load: ",
        ),
        (
            r#"{"ualign":1,"method":"load","args":{"fragment":"v=1","step":2}}"#,
            "load takes",
        ),
        (
            r#"{"ualign":1,"method":"load"}"#,
            "load takes args.fragment",
        ),
    ] {
        let e = read(bad).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
    let huge = format!(
        r#"{{"ualign":1,"method":"load","args":{{"fragment":"{}"}}}}"#,
        "x".repeat(MAX_MESSAGE_BYTES)
    );
    assert!(read(&huge).unwrap_err().contains("at most"));
    assert!(check_size(MAX_MESSAGE_BYTES).is_ok());
}

#[test]
fn events_are_json_with_every_field_named() {
    let state = EmbedState {
        preset: "a\"b\\c\n".into(),
        k: 4,
        players: 5,
        iteration: 300,
        status: "done",
        step: Some(2),
        steps: Some(9),
        nlhf_win_rate: Some(0.51),
        game_win_rate: Some(f64::NAN),
        nlhf_win_rate_exact: Some(0.51),
        game_win_rate_exact: None,
    };
    let j: serde_json::Value = serde_json::from_str(&event_json("state", &state)).unwrap();
    assert_eq!(j["ualign"], 1);
    assert_eq!(j["event"], "state");
    let s = &j["state"];
    assert_eq!(s["preset"], "a\"b\\c\n");
    assert_eq!(s["k"], 4);
    assert_eq!(s["players"], 5);
    assert_eq!(s["iteration"], 300);
    assert_eq!(s["status"], "done");
    assert_eq!(s["step"], 2);
    assert_eq!(s["steps"], 9);
    assert_eq!(s["nlhf_win_rate"], 0.51);
    assert!(s["game_win_rate"].is_null(), "NaN is not JSON");
    assert!(s["game_win_rate_exact"].is_null());
    let empty: serde_json::Value =
        serde_json::from_str(&event_json("ready", &EmbedState::default())).unwrap();
    assert!(empty["state"]["step"].is_null());
}

#[test]
fn errors_quote_hostile_input_only_in_part() {
    // libFuzzer found a deck whose unknown field name came back whole in the message.
    let key = "k".repeat(5000);
    let deck = format!(r#"{{"ualign_deck":1,"{key}":1}}"#);
    let e = read_deck(&deck).unwrap_err().0;
    assert!(e.len() < 400 && e.contains("..."), "{} bytes", e.len());
    let message = format!(r#"{{"ualign":1,"{key}":1}}"#);
    assert!(read_host_message(&message).unwrap_err().len() < 400);
    let method = format!(r#"{{"ualign":1,"method":"{key}"}}"#);
    assert!(read_host_message(&method).unwrap_err().len() < 400);
}

#[test]
fn a_saved_configuration_names_a_known_preset_even_beside_custom_preferences() {
    // Its link must carry it (the worker sends configurations to the page as link settings).
    let custom = r#"{"preset":"nope","custom":{"matrix":{"labels":["a","b"],"rows":[[0.5,0.6],[0.4,0.5]]}}}"#;
    let e = Config::from_json(custom).unwrap_err().0;
    assert!(e.contains("unknown preset"), "{e}");
    let ok = custom.replace("nope", "tshirt");
    let c = Config::from_json(&ok).unwrap();
    assert_eq!(url::decode(&url::encode(&c)), Ok(c));
}

#[test]
fn a_deck_written_on_the_page_reads_back_as_itself() {
    use ualign::deck_draft::{deck_json, DeckDraft};
    // The shipped tour, written by serde, reads back equal (notes, questions, quotes and
    // non-ASCII text included).
    let tour = tour();
    assert_eq!(read_deck(&deck_json(&tour)), Ok(tour.clone()));
    let mut draft = DeckDraft {
        title: "Lecture 7: \"best of k\"\n".into(),
        ..DeckDraft::default()
    };
    assert_eq!(
        draft.add(
            "#v=1&preset=tshirt&k=6&embed=1&tour=3&origins=https://a.example",
            " T-shirts ",
            "k = 6 — «six»",
            ""
        ),
        Ok(1)
    );
    assert_eq!(
        draft.steps[0].fragment, "v=1&preset=tshirt&k=6",
        "display settings are the frame's"
    );
    assert_eq!(draft.steps[0].title, "T-shirts");
    draft.add("v=1&k=2", "two", "c", "say \\ this").unwrap();
    draft.add("v=1&k=3", "three", "c", "").unwrap();
    // The page checks the view's link before it asks for the step (the worker, which keeps
    // the draft, has no link decoder).
    use ualign::deck_draft::view_fragment;
    assert!(view_fragment("#v=1&k=0")
        .unwrap_err()
        .contains("This view's link"));
    assert_eq!(view_fragment("#v=1&k=3").as_deref(), Ok("v=1&k=3"));
    assert!(draft.add("v=1", &"x".repeat(4001), "", "").is_err());
    assert!(draft.shift(2, true));
    assert_eq!(draft.steps[1].title, "three");
    assert!(!draft.shift(0, true) && !draft.shift(2, false) && !draft.shift(9, true));
    assert!(draft.delete(0) && !draft.delete(5));
    let deck = draft.deck();
    assert_eq!(deck.steps.len(), 2);
    assert_eq!(read_deck(&deck_json(&deck)), Ok(deck.clone()));
    assert_eq!(DeckDraft::of(&deck), draft);
}

#[test]
fn the_presenter_window_listens_where_the_worker_posts_decks() {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/presenter.js");
    let js = std::fs::read_to_string(page).expect("static/presenter.js");
    let channel = format!(
        "new BroadcastChannel(\"{}\")",
        ualign::embed::PRESENTER_CHANNEL
    );
    assert!(js.contains(&channel), "presenter.js must open {channel}");
    // It reads the readouts the page labels, by their test ids.
    for id in [
        "tour-step",
        "tour-caption",
        "win-rate-nlhf-exact",
        "win-rate-game-exact",
    ] {
        assert!(js.contains(&format!("\"{id}\"")), "presenter.js reads {id}");
    }
}

#[test]
fn the_deck_panel_adds_moves_and_deletes_steps_as_its_buttons_say() {
    use ualign::deck_draft::{deck_json, DeckDraft};
    use ualign::protocol::DraftRequest::{self, Add, Delete, Down, Up};
    let add = |view: &str, title: &str| Add {
        view: view.into(),
        title: title.into(),
        caption: "cap".into(),
        notes: String::new(),
    };
    let mut draft = DeckDraft::default();
    let empty = draft.page(None);
    assert!(empty.titles.is_empty() && empty.kept.is_none() && empty.store);
    let p = draft.apply(&add("v=1&k=2", "<b>two</b> & \"more\""));
    assert!(p.added && p.notice.as_deref() == Some("Step 1 added to your deck."));
    // The title is kept as typed: the page renders it as text.
    assert_eq!(p.titles, ["<b>two</b> & \"more\""]);
    assert_eq!(
        read_deck(&p.json).unwrap().steps[0].title,
        "<b>two</b> & \"more\""
    );
    draft.apply(&add("v=1&k=3", ""));
    let p = draft.apply(&add("v=1&k=4", "four"));
    assert_eq!(p.json, deck_json(&draft.deck()));
    // An untitled step is named by its place.
    assert_eq!(p.titles, ["<b>two</b> & \"more\"", "Step 2", "four"]);
    let p = draft.apply(&Up(3));
    assert!(p.notice.is_none() && !p.added);
    let titles = |d: &DeckDraft| d.steps.iter().map(|s| s.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&draft), ["<b>two</b> & \"more\"", "four", ""]);
    draft.apply(&Down(1));
    draft.apply(&Delete(3));
    assert_eq!(titles(&draft), ["four", "<b>two</b> & \"more\""]);
    // Requests that name no step, or that are not the panel's buttons, change nothing and
    // say so.
    for bad in [
        Delete(0),
        Delete(3),
        Up(1),
        Down(2),
        Up(0),
        DraftRequest::Present,
        DraftRequest::Restore(String::new()),
    ] {
        let before = draft.clone();
        let p = draft.apply(&bad);
        assert!(
            p.notice
                .as_deref()
                .is_some_and(|n| n.contains("cannot do that (there are 2 steps)")),
            "{bad:?}"
        );
        assert_eq!(draft, before, "{bad:?}");
    }
    // A deck opened while this one is being written leaves it in the panel, and says so; an
    // empty draft (or the same deck) takes the deck opened.
    let before = draft.clone();
    let p = draft.adopt(&tour());
    assert!(p
        .kept
        .as_deref()
        .is_some_and(|k| k.starts_with("Your own deck (2 steps) stays")));
    assert_eq!(draft, before);
    assert!(draft.clone().adopt(&draft.deck()).kept.is_none());
    // A deck too big to write out again is shown but not kept.
    let mut big = tour();
    for s in &mut big.steps {
        s.notes = "é".repeat(4000);
        s.caption = "é".repeat(4000);
    }
    big.steps = big.steps.iter().cycle().take(100).cloned().collect();
    assert!(ualign::deck_draft::deck_json(&big).len() > ualign::deck::MAX_DECK_BYTES);
    let mut fresh = DeckDraft::default();
    assert!(fresh
        .adopt(&big)
        .kept
        .is_some_and(|k| k.contains("too big to keep in the panel")));
    assert!(fresh.steps.is_empty());
    assert!(fresh.adopt(&tour()).kept.is_none());
    assert_eq!(fresh.deck(), tour());
    // Words over the limits are refused with the field named, and nothing is added.
    let p = draft.apply(&Add {
        view: "v=1".into(),
        title: String::new(),
        caption: "c".repeat(4001),
        notes: String::new(),
    });
    assert!(p.notice.unwrap().contains("caption") && !p.added && p.titles.len() == 2);
}

/// The one reply among `effects`.
fn reply(effects: &[ualign::worker::decks::DeckEffect]) -> &ualign::protocol::FromWorker {
    let posts: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            ualign::worker::decks::DeckEffect::Post(m) => Some(&**m),
            _ => None,
        })
        .collect();
    assert_eq!(posts.len(), 1, "{effects:?}");
    posts[0]
}

#[test]
fn the_worker_reads_decks_and_saved_files_and_answers_the_panel_as_effects() {
    use ualign::protocol::{DraftRequest, FromWorker};
    use ualign::worker::decks::{DeckDesk, DeckEffect, JsonDocuments};
    let docs = &JsonDocuments;
    let tour_text = include_str!("../../static/tour.json");
    let mut desk = DeckDesk::new();
    // The presenter asks before the tour was fetched: the worker fetches it for the presenter.
    assert_eq!(
        desk.request(docs, DraftRequest::Repost(String::new())),
        [DeckEffect::FetchTour { for_page: false }]
    );
    assert_eq!(
        desk.tour_fetched(docs, tour_text.into(), false),
        [DeckEffect::TellPresenter(tour_text.into())]
    );
    assert_eq!(
        desk.request(docs, DraftRequest::Repost(String::new())),
        [DeckEffect::TellPresenter(tour_text.into())]
    );
    assert_eq!(
        desk.request(docs, DraftRequest::Repost("mine".into())),
        [DeckEffect::TellPresenter("mine".into())]
    );
    // A deck read for the page is told to the presenter, then posted.
    let read = desk.read(docs, tour_text);
    assert_eq!(read[0], DeckEffect::TellPresenter(tour_text.into()));
    assert_eq!(
        read[1],
        DeckEffect::Post(Box::new(FromWorker::Deck(tour())))
    );
    let refused = desk.read(docs, "{\"ualign_deck\": 1}");
    let FromWorker::DeckFailed(why) = reply(&refused) else {
        panic!("a broken deck is refused");
    };
    assert!(why.contains("missing field `title`"), "{why}");
    assert_eq!(
        DeckDesk::tour_failed("404", true),
        [DeckEffect::Post(Box::new(FromWorker::DeckFailed(
            "The tour (tour.json) could not be fetched: 404.".into()
        )))]
    );
    assert!(DeckDesk::tour_failed("404", false).is_empty());
    // A .json import: a deck by its version key, else a saved configuration.
    assert_eq!(
        desk.import_json(docs, "t.json".into(), tour_text)[1],
        read[1]
    );
    let saved = desk.import_json(docs, "s.json".into(), r#"{"config": {"k": 3, "kk": 3}}"#);
    let FromWorker::Saved {
        name,
        config: Err(why),
    } = reply(&saved)
    else {
        panic!("{saved:?}");
    };
    assert_eq!(name, "s.json");
    assert!(why.contains("unknown field \"kk\""), "{why}");
    // The stored copy: restored (not written back); a broken one is named and left alone.
    let restored = desk.request(docs, DraftRequest::Restore(tour_text.into()));
    let FromWorker::Draft(panel) = reply(&restored) else {
        panic!("{restored:?}");
    };
    assert!(!panel.store && panel.titles.len() == tour().steps.len());
    let broken = desk.request(docs, DraftRequest::Restore("{".into()));
    let FromWorker::Draft(panel) = reply(&broken) else {
        panic!("{broken:?}");
    };
    assert!(panel
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("left as it was")));
    // Present reads the draft as a deck.
    let shown = desk.request(docs, DraftRequest::Present);
    assert_eq!(
        shown[1],
        DeckEffect::Post(Box::new(FromWorker::Deck(tour())))
    );
    // Adopting a document that does not read does nothing.
    assert!(desk
        .request(docs, DraftRequest::Adopt("{".into()))
        .is_empty());
}

#[test]
fn a_deck_link_is_told_from_a_configuration_link_and_held_to_the_link_limit() {
    use ualign::deck_draft::{deck_link, deck_link_data, is_deck_document, DeckDraft};
    assert_eq!(deck_link_data("#deck=abc_-"), Some("abc_-"));
    assert_eq!(deck_link_data("deck="), Some(""));
    assert_eq!(deck_link_data("#v=1&deck=abc"), None);
    assert_eq!(deck_link_data("#v=1&k=4"), None);
    let fits = "a".repeat(url::MAX_FRAGMENT_BYTES - "deck=".len());
    assert_eq!(deck_link(&fits).unwrap().len(), url::MAX_FRAGMENT_BYTES);
    let e = deck_link(&format!("{fits}a")).unwrap_err();
    assert!(
        e.contains("too big for a link") && e.contains("32769 bytes"),
        "{e}"
    );
    // A deck import is recognized by its version key, wherever it stands.
    assert!(is_deck_document(&ualign::deck_draft::deck_json(&tour())));
    assert!(is_deck_document("{\"title\": \"t\", \"ualign_deck\": 2}"));
    assert!(!is_deck_document("{\"config\": {\"preset\": \"tshirt\"}}"));
    // A step that would make the document too big to import again is refused, and the deck
    // is as it was.
    let mut draft = DeckDraft::default();
    let words = "é".repeat(4000);
    let mut refused = None;
    for i in 0..200 {
        if let Err(e) = draft.add("v=1&k=3", &words, &words, &words) {
            refused = Some((i, e));
            break;
        }
    }
    let (i, e) = refused.expect("200 steps of 24,000 bytes are over the 1 MiB limit");
    assert!(e.contains("at most 1048576"), "{e}");
    assert_eq!(draft.steps.len(), i);
    let bytes = ualign::deck_draft::deck_json(&draft.deck()).len();
    assert!(bytes <= ualign::deck::MAX_DECK_BYTES && bytes + 24_100 > ualign::deck::MAX_DECK_BYTES);
}
