/** Name material for demo portfolios: common Spanish-language given names and surnames. */

export const GIVEN_NAMES_FEMALE = [
  'María', 'Ana', 'Luz', 'Carmen', 'Rosa', 'Patricia', 'Claudia', 'Sandra', 'Diana', 'Paola',
  'Andrea', 'Carolina', 'Natalia', 'Valentina', 'Daniela', 'Camila', 'Sofía', 'Isabel', 'Gabriela', 'Lucía',
  'Fernanda', 'Alejandra', 'Verónica', 'Adriana', 'Marcela', 'Liliana', 'Yolanda', 'Gloria', 'Mónica', 'Beatriz',
  'Javiera', 'Constanza', 'Guadalupe', 'Ximena', 'Catalina', 'Juliana', 'Esperanza', 'Milagros', 'Rocío', 'Lorena',
] as const;

export const GIVEN_NAMES_MALE = [
  'José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Andrés', 'Diego', 'Alejandro', 'Fernando',
  'Ricardo', 'Eduardo', 'Javier', 'Sergio', 'Óscar', 'Manuel', 'Francisco', 'Pedro', 'Raúl', 'Héctor',
  'Julián', 'Sebastián', 'Santiago', 'Mateo', 'Felipe', 'Camilo', 'Hernán', 'Gustavo', 'Mauricio', 'Wilson',
  'Jesús', 'Arturo', 'Rodrigo', 'Gonzalo', 'Cristián', 'Matías', 'Ignacio', 'Víctor', 'Alberto', 'Iván',
] as const;

export const SURNAMES = [
  'García', 'Rodríguez', 'Martínez', 'López', 'González', 'Hernández', 'Pérez', 'Sánchez', 'Ramírez', 'Torres',
  'Flores', 'Rivera', 'Gómez', 'Díaz', 'Reyes', 'Morales', 'Cruz', 'Ortiz', 'Gutiérrez', 'Chávez',
  'Ramos', 'Vargas', 'Castillo', 'Jiménez', 'Moreno', 'Romero', 'Herrera', 'Medina', 'Aguilar', 'Vega',
  'Castro', 'Mendoza', 'Ruiz', 'Álvarez', 'Rojas', 'Muñoz', 'Soto', 'Contreras', 'Silva', 'Sepúlveda',
  'Quispe', 'Mamani', 'Huamán', 'Flórez', 'Ospina', 'Cárdenas', 'Restrepo', 'Zapata', 'Valencia', 'Cortés',
  'Guzmán', 'Salazar', 'Navarro', 'Osorio', 'Pineda', 'Suárez', 'Acosta', 'Bermúdez', 'Fuentes', 'Espinoza',
] as const;

/** Words that make plausible small-business names ("Distribuidora Los Andes S.A.S."). */
export const COMPANY_PREFIXES = [
  'Distribuidora', 'Comercializadora', 'Inversiones', 'Transportes', 'Constructora', 'Ferretería',
  'Importadora', 'Servicios Integrales', 'Agroindustrias', 'Textiles', 'Panificadora', 'Droguería',
] as const;

export const COMPANY_CORES = [
  'Los Andes', 'del Pacífico', 'La Esperanza', 'San Martín', 'El Roble', 'Santa Fe', 'Nueva Era',
  'del Valle', 'La Cordillera', 'Sol y Mar', 'El Progreso', 'Tres Ríos', 'La Montaña', 'Horizonte',
  'Monte Verde', 'San José', 'del Norte', 'La Victoria', 'Costa Azul', 'El Dorado',
] as const;

export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

export const STREETS: Readonly<Record<string, readonly string[]>> = {
  CO: ['Calle', 'Carrera', 'Avenida', 'Transversal', 'Diagonal'],
  MX: ['Av. Insurgentes Sur', 'Calle Hidalgo', 'Av. Juárez', 'Calle Morelos', 'Av. Reforma'],
  PE: ['Av. Arequipa', 'Jr. de la Unión', 'Av. Brasil', 'Calle Los Pinos', 'Av. La Marina'],
  CL: ['Av. Providencia', 'Calle Los Aromos', 'Av. Grecia', 'Pasaje Las Rosas', 'Av. Matta'],
};

export const CITIES: Readonly<Record<string, readonly string[]>> = {
  CO: ['Bogotá', 'Medellín', 'Cali', 'Barranquilla', 'Bucaramanga', 'Pereira', 'Cartagena'],
  MX: ['Ciudad de México', 'Guadalajara', 'Puebla', 'Querétaro', 'Monterrey', 'Tijuana', 'Cancún'],
  PE: ['Lima', 'Arequipa', 'Trujillo', 'Chiclayo', 'Piura', 'Cusco'],
  CL: ['Santiago', 'Valparaíso', 'Concepción', 'La Serena', 'Antofagasta', 'Temuco'],
};
