import i18next from 'i18next';

/**
 * The softphone's strings, in their own i18next namespace so they live beside the code that
 * uses them. Spanish first; English must have exactly the same keys (tests/unit/telephony).
 */
export const SOFTPHONE_NS = 'softphone';

export const softphoneResources = {
  es: {
    registration: {
      unconfigured: 'Teléfono sin configurar',
      connecting: 'Conectando teléfono…',
      registered: 'Teléfono listo',
      unregistered: 'Teléfono desconectado',
      reconnecting: 'Sin conexión con la central',
      failed: 'Error de registro del teléfono',
    },
    pbx: {
      down: 'La central telefónica no responde en {{server}}: las llamadas con un clic no están disponibles.',
      refused: 'La central telefónica rechazó la extensión {{extension}} ({{detail}}): revise los ajustes del teléfono.',
      meanwhile: 'Puede marcar desde otro teléfono y registrar la llamada en la cuenta.',
      nextRetry_one: 'Nuevo intento en {{count}} segundo',
      nextRetry_other: 'Nuevo intento en {{count}} segundos',
      retrying: 'Intentando conectar…',
      retryNow: 'Reintentar ahora',
      unavailable: 'Sin central telefónica',
      logManual: 'Registrar llamada marcada a mano',
    },
    phase: {
      dialing: 'Marcando…',
      ringing: 'Timbrando…',
      incoming: 'Llamada entrante',
      active: 'En llamada',
      ended: 'Llamada finalizada',
    },
    call: 'Llamar',
    callNumber: 'Llamar a {{number}}',
    hangup: 'Colgar',
    cancel: 'Cancelar',
    mute: 'Silenciar',
    unmute: 'Activar micrófono',
    hold: 'En espera',
    resume: 'Retomar',
    keypad: 'Teclado',
    transfer: 'Transferir',
    transferTo: 'Transferir a',
    transferSupervisor: 'Transferir al supervisor',
    answer: 'Contestar',
    reject: 'Rechazar',
    unknownCaller: 'Número desconocido',
    recovering: 'Conexión interrumpida: recuperando la llamada…',
    held: 'En espera',
    muted: 'Micrófono silenciado',
    dismiss: 'Cerrar',
    settings: 'Ajustes del teléfono',
    quality: {
      label: 'Calidad: {{level}} (MOS {{mos}})',
      detail: 'Pérdida {{loss}} % · jitter {{jitter}} ms · RTT {{rtt}} ms',
      good: 'buena',
      fair: 'aceptable',
      poor: 'mala',
      bad: 'muy mala',
    },
    blocked: {
      title: 'No se puede llamar',
      nextAllowed: 'Próximo horario permitido: {{time}}',
      never: 'Este contacto no está permitido',
    },
    error: {
      busy: 'Ya hay una llamada en curso',
      not_registered: 'El teléfono no está registrado',
      invalid_number: 'Número no marcable: {{detail}}',
      failed: 'No se pudo llamar: {{detail}}',
      logFailed: 'La llamada no se pudo registrar: {{detail}}',
    },
    ended: {
      summary: 'Fin: SIP {{status}} · {{duration}}',
      hangupBy_agent: 'colgó el gestor',
      hangupBy_remote: 'colgó el deudor',
      hangupBy_system: 'cortada por el sistema',
    },
    form: {
      title: 'Teléfono (SIP)',
      wsUrl: 'Servidor WebSocket (ws:// o wss://)',
      domain: 'Dominio SIP',
      extension: 'Extensión',
      displayName: 'Nombre a mostrar',
      password: 'Contraseña SIP',
      passwordKeep: 'Dejar en blanco para conservar la actual',
      prefix: 'Prefijo de salida',
      keepPlus: 'Marcar con "+" (E.164)',
      localCountry: 'País local (marcación nacional)',
      supervisor: 'Extensión del supervisor',
      devices: 'Dispositivos de audio',
      input: 'Micrófono',
      output: 'Altavoz / audífonos',
      default: 'Predeterminado',
      save: 'Guardar y reconectar',
      saved: 'Guardado',
      invalid: 'Revise el campo {{field}}: {{message}}',
    },
  },
  en: {
    registration: {
      unconfigured: 'Phone not configured',
      connecting: 'Connecting phone…',
      registered: 'Phone ready',
      unregistered: 'Phone disconnected',
      reconnecting: 'No phone system connection',
      failed: 'Phone registration failed',
    },
    pbx: {
      down: 'The phone system does not answer at {{server}}: one-click calls are unavailable.',
      refused: 'The phone system refused extension {{extension}} ({{detail}}): check the phone settings.',
      meanwhile: 'You can dial from another phone and log the call on the account.',
      nextRetry_one: 'Next attempt in {{count}} second',
      nextRetry_other: 'Next attempt in {{count}} seconds',
      retrying: 'Trying to connect…',
      retryNow: 'Retry now',
      unavailable: 'No phone system',
      logManual: 'Log a call dialled by hand',
    },
    phase: {
      dialing: 'Dialling…',
      ringing: 'Ringing…',
      incoming: 'Incoming call',
      active: 'On call',
      ended: 'Call ended',
    },
    call: 'Call',
    callNumber: 'Call {{number}}',
    hangup: 'Hang up',
    cancel: 'Cancel',
    mute: 'Mute',
    unmute: 'Unmute',
    hold: 'Hold',
    resume: 'Resume',
    keypad: 'Keypad',
    transfer: 'Transfer',
    transferTo: 'Transfer to',
    transferSupervisor: 'Transfer to supervisor',
    answer: 'Answer',
    reject: 'Reject',
    unknownCaller: 'Unknown number',
    recovering: 'Connection lost: recovering the call…',
    held: 'On hold',
    muted: 'Microphone muted',
    dismiss: 'Close',
    settings: 'Phone settings',
    quality: {
      label: 'Quality: {{level}} (MOS {{mos}})',
      detail: 'Loss {{loss}} % · jitter {{jitter}} ms · RTT {{rtt}} ms',
      good: 'good',
      fair: 'fair',
      poor: 'poor',
      bad: 'bad',
    },
    blocked: {
      title: 'Cannot call',
      nextAllowed: 'Next allowed time: {{time}}',
      never: 'This contact is not allowed',
    },
    error: {
      busy: 'A call is already in progress',
      not_registered: 'The phone is not registered',
      invalid_number: 'Number cannot be dialled: {{detail}}',
      failed: 'Could not call: {{detail}}',
      logFailed: 'The call could not be recorded: {{detail}}',
    },
    ended: {
      summary: 'Ended: SIP {{status}} · {{duration}}',
      hangupBy_agent: 'agent hung up',
      hangupBy_remote: 'debtor hung up',
      hangupBy_system: 'dropped by the system',
    },
    form: {
      title: 'Phone (SIP)',
      wsUrl: 'WebSocket server (ws:// or wss://)',
      domain: 'SIP domain',
      extension: 'Extension',
      displayName: 'Display name',
      password: 'SIP password',
      passwordKeep: 'Leave blank to keep the current one',
      prefix: 'Outbound prefix',
      keepPlus: 'Dial with "+" (E.164)',
      localCountry: 'Local country (national dialling)',
      supervisor: 'Supervisor extension',
      devices: 'Audio devices',
      input: 'Microphone',
      output: 'Speaker / headset',
      default: 'Default',
      save: 'Save and reconnect',
      saved: 'Saved',
      invalid: 'Check the field {{field}}: {{message}}',
    },
  },
} as const;

export function registerSoftphoneI18n(i18n: typeof i18next = i18next): void {
  const add = () => {
    for (const lng of ['es', 'en'] as const) {
      if (!i18n.hasResourceBundle(lng, SOFTPHONE_NS)) i18n.addResourceBundle(lng, SOFTPHONE_NS, softphoneResources[lng], true, false);
    }
  };
  // The renderer initialises i18next itself (src/renderer/i18n); bundles added before init would
  // be dropped with the store init creates, so wait for it when it has not happened yet.
  if (i18n.isInitialized) add();
  else i18n.on('initialized', add);
}

registerSoftphoneI18n();
