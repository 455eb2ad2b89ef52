package regie

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// EEntryIncoherent is the code of an entry whose recorded object does not
// say what the entry around it says (another id, counter, agent, instant or
// day): a well-chained entry is not a valid one.
const EEntryIncoherent ErrorCode = "entry_incoherent"

// EUnknownKind is the code of an entry of a kind this program does not know.
const EUnknownKind ErrorCode = "unknown_kind"

// DecodeEntry reads an entry's data into the object its kind records
// (*Payment, *Cancellation, *TillSession, *Reprint, *Login, *Closing,
// *Deposit, *SettingsChange, *CashVerification). Unknown fields are refused: a producer that
// adds data the hash covers but no reader sees is not trusted. It is the one
// decoder of every reader of a journal — the counter, verify, the server.
func DecodeEntry(e *Entry) (any, error) {
	var obj any
	switch e.Kind {
	case KindPayment:
		obj = &Payment{}
	case KindCancellation:
		obj = &Cancellation{}
	case KindSessionOpen:
		obj = &TillSession{}
	case KindReprint:
		obj = &Reprint{}
	case KindLogin:
		obj = &Login{}
	case KindClosing:
		obj = &Closing{}
	case KindDeposit:
		obj = &Deposit{}
	case KindSettings:
		obj = &SettingsChange{}
	case KindVerification:
		obj = &CashVerification{}
	default:
		return nil, Errorf(EUnknownKind, "Type d'entrée inconnu « %s ».", e.Kind)
	}
	if k, bad := inexactKey(e.Data); bad {
		return nil, Errorf(EInvalid, "Contenu de l'entrée illisible : champ « %s » inconnu.", k)
	}
	dec := json.NewDecoder(bytes.NewReader(e.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return nil, Errorf(EInvalid, "Contenu de l'entrée illisible : %v.", err)
	}
	if dec.More() {
		return nil, Errorf(EInvalid, "Contenu de l'entrée illisible : données après l'objet.")
	}
	return obj, nil
}

// CheckEntry checks that the object an entry records (as DecodeEntry gives
// it) is the entry's: same id, same counter and agent where the object
// names them, the same instant where it has one, and its day the régie's
// local day of that instant (loc is the régie's time zone). A closing or a
// deposit is made on a session's day, which may be before the day it is
// recorded (a closing done after midnight), never after.
func CheckEntry(e *Entry, obj any, loc *time.Location) error {
	var id, counter, agent, day string
	var at time.Time
	// hasAgent: the object names its agent; needsDay: it is made on a day;
	// sameDay: that day is the day of the entry's instant.
	hasAgent, needsDay, sameDay := true, true, true
	switch o := obj.(type) {
	case *Payment:
		id, counter, agent, at, day = o.ID, o.Counter, o.Agent, o.At, o.Day
	case *Cancellation:
		id, agent, at, day = o.ID, o.Agent, o.At, o.Day
	case *TillSession:
		id, counter, agent, at, day = o.ID, o.Counter, o.Agent, o.OpenedAt, o.Day
	case *Reprint:
		id, agent, at, needsDay = o.ID, o.Agent, o.At, false
	case *Login:
		id, agent, at, needsDay = o.ID, o.Agent, o.At, false
	case *Closing:
		id, counter, agent, at, day, sameDay = o.ID, o.Counter, o.Agent, o.At, o.Day, false
	case *Deposit:
		id, counter, agent, at, day, sameDay = o.ID, o.Counter, o.Agent, o.At, o.Day, false
	case *SettingsChange:
		id, at, hasAgent, needsDay = o.ID, o.At, false, false
	case *CashVerification:
		id, counter, agent, at, needsDay = o.ID, o.Counter, o.Agent, o.At, false
	default:
		return Errorf(EUnknownKind, "Type d'entrée inconnu « %s ».", e.Kind)
	}
	incoherent := func(format string, args ...any) error {
		return Errorf(EEntryIncoherent, "Entrée n° %d : %s.", e.Seq, fmt.Sprintf(format, args...))
	}
	switch {
	case id != e.ID:
		return incoherent("l'objet enregistré porte l'identifiant %s, l'entrée %s", id, e.ID)
	case counter != "" && counter != e.Counter:
		return incoherent("l'objet est du poste %s, l'entrée du poste %s", counter, e.Counter)
	case hasAgent && agent != e.Agent:
		return incoherent("l'objet est de l'agent « %s », l'entrée de l'agent « %s »", agent, e.Agent)
	case !at.IsZero() && !JournalTime(at).Equal(JournalTime(e.At)):
		return incoherent("l'objet est daté du %s, l'entrée du %s", JournalTime(at).Format(TimeFormat), JournalTime(e.At).Format(TimeFormat))
	}
	if !needsDay {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return incoherent("journée « %s » invalide", day)
	}
	if local := DayOf(e.At, loc); sameDay && day != local || !sameDay && day > local {
		return incoherent("enregistrée le %s (heure de la régie) pour la journée du %s", local, day)
	}
	return nil
}
