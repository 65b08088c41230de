<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>IdleOverlay</name>
    <message numerus="yes">
        <source>To protect your privacy, this screen will start over in %n seconds.</source>
        <translation>
            <numerusform>To protect your privacy, this screen will start over in %n second.</numerusform>
            <numerusform>To protect your privacy, this screen will start over in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>For safety, the admin panel closes in %n seconds.</source>
        <translation>
            <numerusform>For safety, the admin panel closes in %n second.</numerusform>
            <numerusform>For safety, the admin panel closes in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message numerus="yes">
        <source>%n digits entered</source>
        <translation>
            <numerusform>%n digit entered</numerusform>
            <numerusform>%n digits entered</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>Wrong PIN. %n try left.</numerusform>
            <numerusform>Wrong PIN. %n tries left.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many tries. Wait %n seconds.</source>
        <translation>
            <numerusform>Too many tries. Wait %n second.</numerusform>
            <numerusform>Too many tries. Wait %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewWindow</name>
    <message numerus="yes">
        <source>%n articles</source>
        <translation>
            <numerusform>%n article</numerusform>
            <numerusform>%n articles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n errors</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SpeechMode</name>
    <message numerus="yes">
        <source>%n results.</source>
        <translation>
            <numerusform>%n result.</numerusform>
            <numerusform>%n results.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffSection</name>
    <message numerus="yes">
        <source>  … and %n more</source>
        <translation>
            <numerusform>  … and %n more</numerusform>
            <numerusform>  … and %n more</numerusform>
        </translation>
    </message>
</context>
</TS>
