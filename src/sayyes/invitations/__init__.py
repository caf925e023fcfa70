"""Invitations: calendar invitations (.ics), e-mails (.eml), pasted text and a watched
mailbox, made into triaged interviews and kept in step with reschedules and cancellations."""
