package regie

// Channel is the kind of counter a journal belongs to: a cash desk, or one
// of the two counters every régie has on the server (ARCHITECTURE rule 10).
// The values are the server's counters.kind spelling and never change.
type Channel string

// The channels.
const (
	// ChannelDesk is a cash desk's counter (the zero value means it too).
	ChannelDesk Channel = "desk"
	// ChannelBackOffice is the régie's back-office counter: transfers and
	// direct debits entered by the régisseur or matched from a bank
	// statement, procès-verbaux de vérification.
	ChannelBackOffice Channel = "backoffice"
	// ChannelOnline is the régie's online counter: payments taken by
	// PayFiP or by Publik, which only ever arrive through the server.
	ChannelOnline Channel = "online"
)

// channelModes are the modes each server counter takes; a desk takes every
// mode but the online one.
var channelModes = map[Channel][]PaymentMode{
	ChannelBackOffice: {Transfer, DirectDebit},
	ChannelOnline:     {Online},
}

// Server tells whether the channel's counter lives on the server.
func (c Channel) Server() bool { return c == ChannelBackOffice || c == ChannelOnline }

// Takes tells whether a counter of this channel may record mode: money that
// reached the régie by a card at a desk is never recorded as paid online,
// and an online payment never appears at a desk. A régie's settings decide
// further which of these modes it accepts at all.
func (c Channel) Takes(m PaymentMode) bool {
	if !m.Valid() {
		return false
	}
	if modes, ok := channelModes[c]; ok {
		for _, x := range modes {
			if x == m {
				return true
			}
		}
		return false
	}
	return m != Online
}

// Label is the channel's French name, as people read it.
func (c Channel) Label() string {
	switch c {
	case ChannelBackOffice:
		return "poste de gestion de la régie"
	case ChannelOnline:
		return "paiements en ligne"
	}
	return "guichet"
}
