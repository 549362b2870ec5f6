-- The subject an e-mail went out with: its template's subject rendered with the same variables as
-- the body when the push accepted it, so the record shows exactly what the debtor received. NULL
-- for SMS and WhatsApp, which have no subject.
ALTER TABLE outbound_messages ADD COLUMN subject text;

-- An e-mail without a subject lands in spam or looks like phishing: every e-mail template has
-- one. Templates saved before this rule get their name, which the organisation chose for them.
UPDATE message_templates SET subject = name WHERE channel = 'email' AND coalesce(btrim(subject), '') = '';
ALTER TABLE message_templates ADD CONSTRAINT message_templates_email_subject
  CHECK (channel <> 'email' OR (subject IS NOT NULL AND btrim(subject) <> ''));
