import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { X } from 'lucide-react';
import { getApi } from '../api';
import { SipSettings as SipSettingsSchema, type SipSettings as SipSettingsValue } from '../../shared/api/contract';
import { SOFTPHONE_NS } from './i18n';
import { useSoftphone } from './store';

type Form = {
  wsUrl: string;
  domain: string;
  extension: string;
  displayName: string;
  password: string;
  prefix: string;
  keepPlus: boolean;
  localCountry: string;
  supervisorExtension: string;
};

const EMPTY: Form = {
  wsUrl: '',
  domain: '',
  extension: '',
  displayName: '',
  password: '',
  prefix: '',
  keepPlus: true,
  localCountry: '',
  supervisorExtension: '',
};

function toForm(sip: SipSettingsValue | null): Form {
  if (!sip) return EMPTY;
  return {
    wsUrl: sip.wsUrl,
    domain: sip.domain,
    extension: sip.extension,
    displayName: sip.displayName,
    password: '',
    prefix: sip.dialPlan.prefix,
    keepPlus: sip.dialPlan.keepPlus,
    localCountry: sip.dialPlan.localCountry ?? '',
    supervisorExtension: sip.supervisorExtension ?? '',
  };
}

function AudioDevices() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const engine = useSoftphone.getState().engine();
  const [chosen, setChosen] = useState(engine.getDevices());
  useEffect(() => {
    void navigator.mediaDevices
      ?.enumerateDevices()
      .then(setDevices)
      .catch(() => setDevices([]));
  }, []);
  const inputs = devices.filter((d) => d.kind === 'audioinput');
  const outputs = devices.filter((d) => d.kind === 'audiooutput');
  return (
    <fieldset>
      <legend>{t('form.devices')}</legend>
      <label>
        {t('form.input')}
        <select
          value={chosen.input ?? ''}
          onChange={(e) => {
            const id = e.target.value || null;
            void engine.setInputDevice(id);
            setChosen({ ...chosen, input: id });
          }}
        >
          <option value="">{t('form.default')}</option>
          {inputs.map((d) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || d.deviceId}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('form.output')}
        <select
          value={chosen.output ?? ''}
          onChange={(e) => {
            void engine.setOutputDevice(e.target.value);
            setChosen({ ...chosen, output: e.target.value });
          }}
        >
          <option value="">{t('form.default')}</option>
          {outputs.map((d) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || d.deviceId}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

/** Server, extension, password and dial plan; saved on the main side, then the phone re-registers. */
export function SipSettings({ onSaved, onClose }: { onSaved?: () => void; onClose?: () => void }) {
  const { t } = useTranslation(SOFTPHONE_NS);
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [iceServers, setIceServers] = useState<SipSettingsValue['iceServers']>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    void getApi()
      .getSettings()
      .then((s) => {
        setForm(toForm(s.sip));
        setIceServers(s.sip?.iceServers ?? []);
      })
      .catch((e: unknown) => setMessage(String(e)));
  }, []);
  const field = (k: keyof Form, label: string, type = 'text') => (
    <label className={k === 'wsUrl' ? 'wide' : undefined}>
      <span>{label}</span>
      <input
        name={k}
        type={type}
        value={String(form[k])}
        onChange={(e) => setForm({ ...form, [k]: e.target.value })}
        placeholder={k === 'password' ? t('form.passwordKeep') : undefined}
        autoComplete={k === 'password' ? 'new-password' : 'off'}
        aria-invalid={errors[k] ? true : undefined}
        aria-describedby={errors[k] ? `sip-err-${k}` : undefined}
      />
      {errors[k] && (
        <span className="field-error" id={`sip-err-${k}`}>
          {errors[k]}
        </span>
      )}
    </label>
  );
  const save = async () => {
    setMessage(null);
    const parsed = SipSettingsSchema.safeParse({
      wsUrl: form.wsUrl.trim(),
      domain: form.domain.trim(),
      extension: form.extension.trim(),
      displayName: form.displayName.trim(),
      dialPlan: { prefix: form.prefix.trim(), keepPlus: form.keepPlus, localCountry: form.localCountry.trim().toUpperCase() || null },
      iceServers,
      supervisorExtension: form.supervisorExtension.trim() || null,
    });
    if (!parsed.success) {
      // each issue beside its field: the schema's paths (dialPlan.prefix) name the form's inputs (prefix)
      const found: Partial<Record<keyof Form, string>> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path.at(-1) ?? '') as keyof Form;
        const k = key in EMPTY ? key : 'wsUrl';
        found[k] ??= t(`form.problem.${k}`, { defaultValue: issue.message });
      }
      setErrors(found);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await getApi().saveSettings({ sip: parsed.data, ...(form.password ? { sipPassword: form.password } : {}) });
      await useSoftphone.getState().restart();
      setMessage(t('form.saved'));
      onSaved?.();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      className="sip-settings card"
      data-testid="sip-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="sip-settings-head">
        <h3>{t('form.title')}</h3>
        {onClose && (
          <button type="button" className="icon-button" aria-label={t('dismiss')} title={t('dismiss')} onClick={onClose}>
            <X size={14} aria-hidden="true" />
          </button>
        )}
      </div>
      {field('wsUrl', t('form.wsUrl'))}
      {field('domain', t('form.domain'))}
      {field('extension', t('form.extension'))}
      {field('displayName', t('form.displayName'))}
      {field('password', t('form.password'), 'password')}
      {field('prefix', t('form.prefix'))}
      <label className="inline wide">
        <input type="checkbox" name="keepPlus" checked={form.keepPlus} onChange={(e) => setForm({ ...form, keepPlus: e.target.checked })} />
        {t('form.keepPlus')}
      </label>
      {field('localCountry', t('form.localCountry'))}
      {field('supervisorExtension', t('form.supervisor'))}
      <AudioDevices />
      <div className="form-actions wide">
        <button type="submit" className="primary" disabled={saving}>
          {t('form.save')}
        </button>
        {message && <span role="status">{message}</span>}
      </div>
    </form>
  );
}
