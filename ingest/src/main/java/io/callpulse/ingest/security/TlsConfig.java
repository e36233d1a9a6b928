package io.callpulse.ingest.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The ingest's own TLS, for {@code wss://} and {@code https://} without a proxy in front.
 *
 * @param keystore a PKCS12 (or JKS) keystore holding the server's key and certificate chain
 * @param password the keystore's password, also used for the key
 * @param type the keystore type, {@code PKCS12} unless told otherwise
 */
public record TlsConfig(Path keystore, String password, String type) {

    public TlsConfig {
        if (type == null || type.isBlank()) {
            type = "PKCS12";
        }
        if (password == null) {
            password = "";
        }
    }

    /** Loads the keystore; a wrong path or password fails with the setting's name. */
    public SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "tls.keystore: cannot load "
                            + type
                            + " keystore "
                            + keystore
                            + " with the configured password ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }
}
