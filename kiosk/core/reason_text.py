"""How each verdict and reason code is worded for people, in Vietnamese and English.

The codes are stable (see verifier.verdict.Reason); only these words are for display.
"""

from __future__ import annotations

from verifier import Outcome, Reason, StaleList

REASONS: dict[Reason, tuple[str, str]] = {
    Reason.NOT_A_CREDENTIAL: ("Không phải mã Công dân số", "Not a citizen credential"),
    Reason.FORMAT: ("Mã bị hỏng hoặc sai định dạng", "Damaged or malformed code"),
    Reason.UNSUPPORTED_ALG: (
        "Mã dùng thuật toán ký không được hỗ trợ",
        "Unsupported signature algorithm",
    ),
    Reason.NO_TRUST_LIST: (
        "Thiết bị chưa có danh sách khóa tin cậy",
        "This kiosk has no trust list yet",
    ),
    Reason.UNKNOWN_KEY: ("Mã do nơi cấp không được tin cậy", "Issued by an unknown issuer"),
    Reason.BAD_SIGNATURE: ("Chữ ký không hợp lệ — mã giả mạo", "Invalid signature — forged code"),
    Reason.KEY_NOT_VALID: (
        "Khóa của nơi cấp không hợp lệ cho mã này",
        "Issuer key not valid for this code",
    ),
    Reason.NOT_YET_VALID: ("Mã chưa có hiệu lực", "Not valid yet"),
    Reason.EXPIRED: ("Mã đã hết hạn", "Expired"),
    Reason.REVOKED: ("Mã đã bị thu hồi", "Revoked"),
    Reason.STALE_TRUST_LIST: (
        "Danh sách khóa đã cũ — cần đồng bộ",
        "Trust list is out of date — sync needed",
    ),
}

# With stale_trust_list: which list made the trust data stale.
STALE_LISTS: dict[StaleList, tuple[str, str]] = {
    StaleList.TRUST_LIST: ("danh sách khóa tin cậy đã cũ", "the trust list is out of date"),
    StaleList.REVOCATIONS: (
        "danh sách thu hồi đã cũ hoặc không có — chưa kiểm tra thu hồi",
        "the revocation list is out of date or missing — revocation not checked",
    ),
}

OUTCOMES: dict[Outcome, tuple[str, str]] = {
    Outcome.ACCEPT: ("HỢP LỆ", "VALID"),
    Outcome.REJECT: ("KHÔNG HỢP LỆ", "NOT VALID"),
    Outcome.UNVERIFIED: ("CHƯA XÁC THỰC", "UNVERIFIED"),
}


def reason_words(reason: Reason) -> str:
    """ "Vietnamese / English", for the command line and logs."""
    vi, en = REASONS[reason]
    return f"{vi} / {en}"


def outcome_words(outcome: Outcome) -> str:
    vi, en = OUTCOMES[outcome]
    return f"{vi} / {en}"


def stale_words(lists: tuple[StaleList, ...]) -> str:
    """ "Vietnamese / English" naming each stale list, for the command line and logs."""
    return "; ".join(f"{STALE_LISTS[w][0]} / {STALE_LISTS[w][1]}" for w in lists)
