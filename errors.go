package regie

import (
	"errors"
	"fmt"
)

// ErrorCode names one rule that was broken, so that tests, the server's HTTP
// mapping and the UI can react to the rule rather than to a sentence.
type ErrorCode string

// The codes each validation returns. Every code belongs to a Class, which is
// what the server turns into an HTTP status.
const (
	EInvalid            ErrorCode = "invalid"
	EInvalidAmount      ErrorCode = "invalid_amount"
	EAmountNotPositive  ErrorCode = "amount_not_positive"
	EModeNotAllowed     ErrorCode = "mode_not_allowed"
	ECashLimit          ErrorCode = "cash_limit"
	ETenderMismatch     ErrorCode = "tender_mismatch"
	EChangeNotCash      ErrorCode = "change_not_cash"
	ECheckDetails       ErrorCode = "check_details"
	ECardDetails        ErrorCode = "card_details"
	ETransferDetails    ErrorCode = "transfer_details"
	EVoucherDetails     ErrorCode = "voucher_details"
	EOverRemaining      ErrorCode = "over_remaining"
	EAllocationTarget   ErrorCode = "allocation_target"
	EHouseholdMismatch  ErrorCode = "household_mismatch"
	EAnonymousRefused   ErrorCode = "anonymous_refused"
	ENoSession          ErrorCode = "no_session"
	ESessionOpen        ErrorCode = "session_open"
	EDayClosed          ErrorCode = "day_closed"
	ECancelOfCancel     ErrorCode = "cancel_of_cancel"
	EAlreadyCancelled   ErrorCode = "already_cancelled"
	ECancelNotSameDay   ErrorCode = "cancel_not_same_day"
	EReasonRequired     ErrorCode = "reason_required"
	ECommentRequired    ErrorCode = "comment_required"
	EDepositTooLarge    ErrorCode = "deposit_too_large"
	EForbidden          ErrorCode = "forbidden"
	EBadCredentials     ErrorCode = "bad_credentials"
	ELockedOut          ErrorCode = "locked_out"
	ENotFound           ErrorCode = "not_found"
	EConflict           ErrorCode = "conflict"
	EChainBroken        ErrorCode = "chain_broken"
	EFileAltered        ErrorCode = "file_altered" // the counter file fails its check: the till stays shut
	EInternal           ErrorCode = "internal"
	EPaymentNotFound    ErrorCode = "payment_not_found"
	EInvoiceNotFound    ErrorCode = "invoice_not_found"
	EItemNotFound       ErrorCode = "item_not_found"
	EHouseholdNotFound  ErrorCode = "household_not_found"
	EAgentNotFound      ErrorCode = "agent_not_found"
	ENotConfigured      ErrorCode = "not_configured"
	EDuplicateDenom     ErrorCode = "duplicate_denomination"
	EUnknownDenom       ErrorCode = "unknown_denomination"
	ENothingToDeposit   ErrorCode = "nothing_to_deposit"
	ECheckNotHeld       ErrorCode = "check_not_held"
	ETerminalTotalMiss  ErrorCode = "terminal_total_missing"
	EClosingUnbalanced  ErrorCode = "closing_unbalanced"
	EAllocationRequired ErrorCode = "allocation_required"
	EPartialRefused     ErrorCode = "partial_refused"
	ECheckDeposited     ErrorCode = "check_deposited"
)

// Class groups codes by what the caller can do about them; the server maps a
// class to one HTTP status and the UI to one kind of banner.
type Class string

// The classes of errors.
const (
	ClassInvalid   Class = "invalid"
	ClassNotFound  Class = "not_found"
	ClassConflict  Class = "conflict"
	ClassForbidden Class = "forbidden"
	ClassClosed    Class = "closed"
	ClassInternal  Class = "internal"
)

var codeClass = map[ErrorCode]Class{
	ENotFound: ClassNotFound, EPaymentNotFound: ClassNotFound, EInvoiceNotFound: ClassNotFound,
	EItemNotFound: ClassNotFound, EHouseholdNotFound: ClassNotFound, EAgentNotFound: ClassNotFound,
	EConflict: ClassConflict, EAlreadyCancelled: ClassConflict, ESessionOpen: ClassConflict,
	EChainBroken: ClassConflict,
	EForbidden:   ClassForbidden, EBadCredentials: ClassForbidden, ELockedOut: ClassForbidden,
	ENoSession: ClassClosed, EDayClosed: ClassClosed, ECancelNotSameDay: ClassClosed,
	EInternal: ClassInternal, ENotConfigured: ClassInternal,
}

// ClassOf tells which class a code belongs to; codes not listed are input
// errors, the commonest kind.
func ClassOf(c ErrorCode) Class {
	if cl, ok := codeClass[c]; ok {
		return cl
	}
	return ClassInvalid
}

// Error is the one error type the domain returns: Code for programs, Message
// for the agent, in French, ready to be shown as it is.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("regie %s: %s", e.Code, e.Message)
}

// Errorf builds an *Error with a French message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf unwraps err to the code of the first *Error in its chain, so
// that wrapped store errors still reach the UI with their meaning; anything
// else is internal.
func ErrorCodeOf(err error) ErrorCode {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage is what a person is shown for err: the French message of a
// domain error, or a generic sentence that leaks no internals.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Erreur interne : l'opération n'a pas été enregistrée. Réessayez ou prévenez le régisseur."
}
