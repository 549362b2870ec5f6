-- WhatsApp starts a conversation (every collection message) only with a template Meta approved:
-- a WhatsApp template of ours names the Meta template, its language (and the language of the
-- same template approved for a debtor's country, e.g. {"MX": "es_MX"}), and which of our
-- placeholders fill its {{1}}, {{2}} … in order. No Meta name = not approved = never sent.
ALTER TABLE message_templates ADD COLUMN wa_template_name text CHECK (wa_template_name ~ '^[a-z0-9_]+$' AND char_length(wa_template_name) <= 512);
ALTER TABLE message_templates ADD COLUMN wa_language text CHECK (wa_language ~ '^[a-z]{2,3}(_[A-Z]{2})?$');
ALTER TABLE message_templates ADD COLUMN wa_language_by_country jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE message_templates ADD COLUMN wa_params text[] NOT NULL DEFAULT '{}';
ALTER TABLE message_templates ADD CONSTRAINT message_templates_whatsapp_approved
  CHECK (wa_template_name IS NULL OR (channel = 'whatsapp' AND wa_language IS NOT NULL));

-- What the WhatsApp adapter sends for a message ({name, language, parameters}), resolved when the
-- message was accepted with the same values as its body, so the send cannot drift from the preview.
ALTER TABLE outbound_messages ADD COLUMN wa_template jsonb;
