package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;

/** Wires the handlers of one emulator into its server: Graph under /beta, admin under /_emulator, Entra elsewhere. */
final class EmulatorRoutes {
    private EmulatorRoutes() {
    }

    static void install(HttpServer server, EmulatorState state, URI authorityHost) {
        URI graphBase = URI.create(authorityHost + "/beta");
        Throttling throttling = new Throttling(state.settings(), state.dice(), state.clock());
        GraphHandler graph = new GraphHandler(
                new GraphAuthenticator(state.tokens(), state.tenants(), authorityHost),
                new FaultInjector(state.dice(), throttling),
                throttling,
                new PolicyOperations(graphBase, state.settings().pageSize(), state.stats()),
                new Latency(state.dice()),
                state.stats(),
                state.settings(),
                state.clock(),
                state.delays());
        TokenEndpoint tokens = new TokenEndpoint(state.tenants(), state.tokens(), state.stats(), state.clock());
        // The JDK matches contexts by longest path prefix, so "/beta" also catches "/betaX"; the router 404s those.
        server.createContext("/beta", graph);
        server.createContext("/_emulator/", new AdminHandler(state));
        server.createContext("/", new AuthorityHandler(tokens, authorityHost));
    }
}
