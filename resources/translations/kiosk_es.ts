<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>AdminPanel</name>
    <message>
        <source>Administrator</source>
        <translation>Administrador</translation>
    </message>
    <message>
        <source>Content: {title}, content version {version}</source>
        <translation>Contenido: {title}, versión del contenido {version}</translation>
    </message>
    <message>
        <source>Back to patient screen</source>
        <translation>Volver a la pantalla de pacientes</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Salir del quiosco</translation>
    </message>
    <message>
        <source>Closes the kiosk and returns to the computer&apos;s desktop</source>
        <translation>Cierra el quiosco y vuelve al escritorio de la computadora</translation>
    </message>
    <message>
        <source>Administrator panel</source>
        <translation>Panel de administración</translation>
    </message>
    <message>
        <source>Exit the kiosk? Patients see a blank screen until it starts again.</source>
        <translation>¿Salir del quiosco? Los pacientes verán una pantalla vacía hasta que vuelva a empezar.</translation>
    </message>
    <message>
        <source>Yes, exit the kiosk</source>
        <translation>Sí, salir del quiosco</translation>
    </message>
    <message>
        <source>No, stay</source>
        <translation>No, quedarme</translation>
    </message>
</context>
<context>
    <name>AttractPage</name>
    <message>
        <source>Health information</source>
        <translation>Información de salud</translation>
    </message>
    <message>
        <source>Touch the screen to start.</source>
        <translation>Toque la pantalla para empezar.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Empezar</translation>
    </message>
    <message>
        <source>Or press any key on the keypad to hear the screen.</source>
        <translation>O pulse cualquier tecla del teclado numérico para escuchar la pantalla.</translation>
    </message>
</context>
<context>
    <name>CalmScreens</name>
    <message>
        <source>One moment, please…</source>
        <translation>Un momento, por favor…</translation>
    </message>
    <message>
        <source>This screen is not working right now.</source>
        <translation>Esta pantalla no funciona en este momento.</translation>
    </message>
    <message>
        <source>Please ask at the front desk. We are sorry.</source>
        <translation>Por favor, pregunte en la recepción. Lo sentimos.</translation>
    </message>
    <message>
        <source>For staff: the content could not be loaded.</source>
        <translation>Para el personal: no se pudo cargar el contenido.</translation>
    </message>
</context>
<context>
    <name>CardProgress</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
</context>
<context>
    <name>CrisisBanner</name>
    <message>
        <source>Quick exit</source>
        <translation>Salida rápida</translation>
    </message>
    <message>
        <source>Leave this page now and start over</source>
        <translation>Salir de esta página ahora y empezar de nuevo</translation>
    </message>
</context>
<context>
    <name>Curtain</name>
    <message>
        <source>Speech mode is on</source>
        <translation>El modo de voz está activado</translation>
    </message>
    <message>
        <source>The screen is hidden, so only you hear what you read. Use the keypad, or slide a finger on the screen to hear what is under it and tap twice to choose. Or ask at the front desk.</source>
        <translation>La pantalla está oculta, así que solo usted escucha lo que lee. Use el teclado numérico, o deslice un dedo por la pantalla para escuchar lo que hay debajo y toque dos veces para elegir. O pregunte en la recepción.</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Tap a card to start reading.</source>
        <translation>Toque una tarjeta para empezar a leer.</translation>
    </message>
    <message>
        <source>Health words A to Z</source>
        <translation>Palabras de salud de la A a la Z</translation>
    </message>
    <message>
        <source>Look up a word you heard from your doctor or nurse.</source>
        <translation>Busque una palabra que escuchó de su médico o enfermera.</translation>
    </message>
    <message>
        <source>Health words</source>
        <translation>Palabras de salud</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <source>Are you still there?</source>
        <translation>¿Sigue ahí?</translation>
    </message>
    <message numerus="yes">
        <source>To protect your privacy, this screen will start over in %n seconds.</source>
        <translation>
            <numerusform>Para proteger su privacidad, esta pantalla volverá al inicio en %n segundo.</numerusform>
            <numerusform>Para proteger su privacidad, esta pantalla volverá al inicio en %n segundos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>For safety, the admin panel closes in %n seconds.</source>
        <translation>
            <numerusform>Por seguridad, el panel de administración se cierra en %n segundo.</numerusform>
            <numerusform>Por seguridad, el panel de administración se cierra en %n segundos.</numerusform>
        </translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>Sigo aquí</translation>
    </message>
    <message>
        <source>Still using the admin panel?</source>
        <translation>¿Sigue usando el panel de administración?</translation>
    </message>
    <message>
        <source>Keep it open</source>
        <translation>Mantenerlo abierto</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Health words A to Z</source>
        <translation>Palabras de salud de la A a la Z</translation>
    </message>
    <message>
        <source>This is a test of read aloud.</source>
        <translation>Esta es una prueba de la lectura en voz alta.</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Hide keys</source>
        <translation>Ocultar</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Staff only: enter the admin PIN</source>
        <translation>Solo personal: escriba el PIN de administración</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>Borrar el último número</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>OK, check the PIN</source>
        <translation>Aceptar, comprobar el PIN</translation>
    </message>
    <message>
        <source>Admin PIN pad</source>
        <translation>Teclado del PIN de administración</translation>
    </message>
    <message>
        <source>PIN entered</source>
        <translation>PIN escrito</translation>
    </message>
    <message numerus="yes">
        <source>%n digits entered</source>
        <translation>
            <numerusform>%n número escrito</numerusform>
            <numerusform>%n números escritos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>PIN incorrecto. Queda %n intento.</numerusform>
            <numerusform>PIN incorrecto. Quedan %n intentos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many tries. Wait %n seconds.</source>
        <translation>
            <numerusform>Demasiados intentos. Espere %n segundo.</numerusform>
            <numerusform>Demasiados intentos. Espere %n segundos.</numerusform>
        </translation>
    </message>
    <message>
        <source>PIN pad message</source>
        <translation>Mensaje del teclado del PIN</translation>
    </message>
    <message>
        <source>No admin PIN is set. On this computer, run: kiosk set-pin</source>
        <translation>No hay un PIN de administración. En esta computadora, ejecute: kiosk set-pin</translation>
    </message>
</context>
<context>
    <name>PreviewWindow</name>
    <message numerus="yes">
        <source>%n articles</source>
        <translation>
            <numerusform>%n artículo</numerusform>
            <numerusform>%n artículos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n errors</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errores</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n aviso</numerusform>
            <numerusform>%n avisos</numerusform>
        </translation>
    </message>
    <message>
        <source>Problems in the content</source>
        <translation>Problemas en el contenido</translation>
    </message>
    <message>
        <source>OK: this is what patients will see.</source>
        <translation>Bien: esto es lo que verán los pacientes.</translation>
    </message>
    <message>
        <source>Not usable: showing the last good version.</source>
        <translation>No se puede usar: se muestra la última versión buena.</translation>
    </message>
    <message>
        <source>No usable content yet: see the problems.</source>
        <translation>Todavía no hay contenido utilizable: vea los problemas.</translation>
    </message>
</context>
<context>
    <name>ReaderPage</name>
    <message>
        <source>Back to start</source>
        <translation>Volver al principio</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Reviewed %1</source>
        <translation>Revisado en %1</translation>
    </message>
    <message>
        <source>Sources: %1</source>
        <translation>Fuentes: %1</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Anterior</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Escuchar</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Parar</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>Repetir</translation>
    </message>
    <message>
        <source>Our staff are checking that this page is still up to date. If you have questions, please ask at the front desk.</source>
        <translation>Nuestro personal está revisando que esta página siga al día. Si tiene preguntas, pregunte en la recepción.</translation>
    </message>
    <message>
        <source>Read this card out loud</source>
        <translation>Leer esta tarjeta en voz alta</translation>
    </message>
    <message>
        <source>Read next:</source>
        <translation>Lea también:</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>Código QR</translation>
    </message>
    <message>
        <source>Scan with your phone camera to read more at home.</source>
        <translation>Escanéelo con la cámara de su teléfono para leer más en casa.</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Off</source>
        <translation>No</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>Display and reading</source>
        <translation>Pantalla y lectura</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Tamaño del texto</translation>
    </message>
    <message>
        <source>Contrast</source>
        <translation>Contraste</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Alto</translation>
    </message>
    <message>
        <source>Easier-to-read font</source>
        <translation>Letra más fácil de leer</translation>
    </message>
    <message>
        <source>Reduce motion</source>
        <translation>Reducir movimiento</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>Leer en voz alta</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
</context>
<context>
    <name>SpeechMode</name>
    <message>
        <source>Nothing here.</source>
        <translation>Aquí no hay nada.</translation>
    </message>
    <message>
        <source>That does nothing here.</source>
        <translation>Eso no hace nada aquí.</translation>
    </message>
    <message>
        <source>Top of the page.</source>
        <translation>Principio de la página.</translation>
    </message>
    <message>
        <source>Bottom of the page.</source>
        <translation>Final de la página.</translation>
    </message>
    <message>
        <source>Nothing to choose here. Press Down to move.</source>
        <translation>Aquí no hay nada que elegir. Pulse Abajo para moverse.</translation>
    </message>
    <message>
        <source>This is as far as it goes.</source>
        <translation>No se puede más.</translation>
    </message>
    <message>
        <source>Like this.</source>
        <translation>Así.</translation>
    </message>
    <message>
        <source>The search box is empty.</source>
        <translation>La casilla de búsqueda está vacía.</translation>
    </message>
    <message>
        <source>You have more time. You are on:</source>
        <translation>Tiene más tiempo. Está en:</translation>
    </message>
    <message>
        <source>Speech mode is on. Press Down and Up to move, Enter to choose, Back to go back, and Help to hear where you are and what you can do.</source>
        <translation>El modo de voz está activado. Pulse Abajo y Arriba para moverse, Intro para elegir, Atrás para volver y Ayuda para saber dónde está y qué puede hacer.</translation>
    </message>
    <message>
        <source>You are on: %1. Down and Up move. Enter chooses. Back goes back. Press Help again for more.</source>
        <translation>Está en: %1. Abajo y Arriba mueven. Intro elige. Atrás vuelve. Pulse Ayuda otra vez para saber más.</translation>
    </message>
    <message>
        <source>Left and Right turn the cards of an article. Plus and minus change the volume. Repeat says the last thing again; Stop is quiet. Speech mode ends when you leave the kiosk alone.</source>
        <translation>Izquierda y Derecha pasan las tarjetas de un artículo. Más y menos cambian el volumen. Repetir dice otra vez lo último; Parar calla. El modo de voz termina cuando deja el quiosco.</translation>
    </message>
    <message numerus="yes">
        <source>%n results.</source>
        <translation>
            <numerusform>%n resultado.</numerusform>
            <numerusform>%n resultados.</numerusform>
        </translation>
    </message>
    <message>
        <source>First: %1.</source>
        <translation>El primero: %1.</translation>
    </message>
    <message>
        <source>%1, heading</source>
        <translation>%1, encabezado</translation>
    </message>
    <message>
        <source>%1, edit text, %2</source>
        <translation>%1, campo de texto, %2</translation>
    </message>
    <message>
        <source>%1, edit text</source>
        <translation>%1, campo de texto</translation>
    </message>
    <message>
        <source>%1, selected</source>
        <translation>%1, seleccionado</translation>
    </message>
    <message>
        <source>%1, not selected</source>
        <translation>%1, no seleccionado</translation>
    </message>
    <message>
        <source>%1, button</source>
        <translation>%1, botón</translation>
    </message>
    <message>
        <source>%1, link</source>
        <translation>%1, enlace</translation>
    </message>
    <message>
        <source>%1, unavailable</source>
        <translation>%1, no disponible</translation>
    </message>
</context>
<context>
    <name>StaffSection</name>
    <message>
        <source>The log file cannot be written (%1). Messages go to the system journal only.</source>
        <translation>No se puede escribir el archivo de registro (%1). Los mensajes van solo al registro del sistema.</translation>
    </message>
    <message>
        <source>Usage counts are not being saved (%1).</source>
        <translation>Los recuentos de uso no se están guardando (%1).</translation>
    </message>
    <message>
        <source>Installed packs cannot be used (%1). Showing the content that came with the kiosk.</source>
        <translation>No se pueden usar los paquetes instalados (%1). Se muestra el contenido que venía con el quiosco.</translation>
    </message>
    <message>
        <source>The pack store is read-only (%1). New packs cannot be installed or rolled back.</source>
        <translation>El almacén de paquetes es de solo lectura (%1). No se pueden instalar paquetes nuevos ni volver al anterior.</translation>
    </message>
    <message>
        <source>Read aloud stopped working (%1) and was restarted.</source>
        <translation>La lectura en voz alta dejó de funcionar (%1) y se reinició.</translation>
    </message>
    <message>
        <source>Read aloud does not work (%1). It is tried again each time a patient uses it.</source>
        <translation>La lectura en voz alta no funciona (%1). Se vuelve a intentar cada vez que un paciente la usa.</translation>
    </message>
    <message>
        <source>Read aloud is not offered to patients: this computer cannot speak (%1).</source>
        <translation>La lectura en voz alta no se ofrece a los pacientes: esta computadora no puede hablar (%1).</translation>
    </message>
    <message>
        <source>The content may be out of date: the fleet last confirmed it on %1. Patients still see the last good pack. Ask IT to check the fleet&apos;s server.</source>
        <translation>Puede que el contenido no esté al día: la flota lo confirmó por última vez el %1. Los pacientes siguen viendo el último paquete bueno. Pida a informática que revise el servidor de la flota.</translation>
    </message>
    <message>
        <source>The content may be out of date: the fleet has never confirmed it. Patients still see the last good pack. Ask IT to check the fleet&apos;s server.</source>
        <translation>Puede que el contenido no esté al día: la flota nunca lo ha confirmado. Los pacientes siguen viendo el último paquete bueno. Pida a informática que revise el servidor de la flota.</translation>
    </message>
    <message>
        <source>The last fleet check said: %1</source>
        <translation>La última comprobación de la flota dijo: %1</translation>
    </message>
    <message>
        <source>A USB stick whose packs had expired was taken with the staff PIN (%1).</source>
        <translation>Se aceptó con el PIN del personal una memoria USB cuyos paquetes habían caducado (%1).</translation>
    </message>
    <message numerus="yes">
        <source>  … and %n more</source>
        <translation>
            <numerusform>  … y %n más</numerusform>
            <numerusform>  … y %n más</numerusform>
        </translation>
    </message>
    <message>
        <source>Reload content</source>
        <translation>Volver a cargar el contenido</translation>
    </message>
    <message>
        <source>Roll back to the previous pack</source>
        <translation>Volver al paquete anterior</translation>
    </message>
    <message>
        <source>Test speech</source>
        <translation>Probar la voz</translation>
    </message>
    <message>
        <source>Edit articles (needs a keyboard)</source>
        <translation>Editar artículos (necesita un teclado)</translation>
    </message>
    <message>
        <source>Opening the studio...</source>
        <translation>Abriendo el editor de contenido...</translation>
    </message>
    <message>
        <source>The studio stopped (%1).</source>
        <translation>El editor de contenido se detuvo (%1).</translation>
    </message>
    <message>
        <source>Problems:</source>
        <translation>Problemas:</translation>
    </message>
    <message>
        <source>Signed by: %1</source>
        <translation>Firmado por: %1</translation>
    </message>
    <message>
        <source>Past their review date:</source>
        <translation>Con la fecha de revisión vencida:</translation>
    </message>
    <message>
        <source>No article is past its review date.</source>
        <translation>Ningún artículo tiene la fecha de revisión vencida.</translation>
    </message>
    <message>
        <source>Most read in the last 7 days:</source>
        <translation>Lo más leído en los últimos 7 días:</translation>
    </message>
    <message>
        <source>No usage counts yet.</source>
        <translation>Todavía no hay recuentos de uso.</translation>
    </message>
</context>
<context>
    <name>TermsPage</name>
    <message>
        <source>No words start with %1 yet. Tap another letter, or type a word.</source>
        <translation>Todavía no hay palabras con %1. Toque otra letra o escriba una palabra.</translation>
    </message>
    <message>
        <source>Type a health word</source>
        <translation>Escriba una palabra de salud</translation>
    </message>
    <message>
        <source>Type here</source>
        <translation>Escriba aquí</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Search health words</source>
        <translation>Buscar palabras de salud</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar todo</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>Borrar la búsqueda</translation>
    </message>
    <message>
        <source>Type a word</source>
        <translation>Escribir</translation>
    </message>
    <message>
        <source>No words</source>
        <translation>No hay palabras</translation>
    </message>
    <message>
        <source>Results for “%1”</source>
        <translation>Resultados para «%1»</translation>
    </message>
    <message>
        <source>No results for “%1”. Did you mean:</source>
        <translation>No hay resultados para «%1». ¿Quiso decir:</translation>
    </message>
    <message>
        <source>No results for “%1”. Try fewer letters, or tap a letter.</source>
        <translation>No hay resultados para «%1». Escriba menos letras o toque una letra.</translation>
    </message>
    <message>
        <source>Words starting with %1</source>
        <translation>Palabras que empiezan con %1</translation>
    </message>
    <message>
        <source>All health words</source>
        <translation>Todas las palabras de salud</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Home</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Go to the start page</source>
        <translation>Ir a la página de inicio</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Go back one step</source>
        <translation>Volver un paso</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Tamaño de letra</translation>
    </message>
    <message>
        <source>Text size, contrast and reading settings</source>
        <translation>Tamaño del texto, contraste y ajustes de lectura</translation>
    </message>
    <message>
        <source>Change the language</source>
        <translation>Cambiar el idioma</translation>
    </message>
</context>
</TS>
