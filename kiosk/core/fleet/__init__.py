"""A fleet of kiosks fed from one repository of signed packs, through The Update
Framework (TUF): python-tuf's Metadata API writes the repository (kiosk.core.fleet.
repository), its ``ngclient`` reads it on each kiosk (kiosk.core.fleet.client).

python-tuf and securesystemslib load only with the client, the repository and the key
modules (`kiosk fleet ...`); `kiosk run` reads no more than kiosk.core.fleet.state, for
the admin panel.
"""
