# The Debian package (README "Install on a room's computer"), included by the Makefile.

# make deb: a release build with Swift's runtime linked in, so the room's computer needs no Swift.
DEB_BUILD_DIR ?= .build/release
DEB_OUT ?= .
# libcurl4-openssl-dev: Foundation linked statically asks the linker for libcurl (unused, dropped at link time).
DEB_PACKAGES ?= dpkg-dev libcurl4-openssl-dev
# make deploy-test: the package built from the debug build, installed into a throwaway root.
DEPLOY_TEST_BUILD_DIR ?= .build/debug
# (adduser: the package depends on it; a slim image may lack it.)
DEPLOY_TEST_PACKAGES ?= dpkg-dev systemd curl adduser

.PHONY: deb deploy-test

deb: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(DEB_PACKAGES)"
	$(SWIFT) build -c release --static-swift-stdlib
	deploy/debian/build-deb.sh $(DEB_BUILD_DIR) $(DEB_OUT)

# As root (it mounts and chroots; through sudo otherwise); about a minute. Builds nothing: run
# after swift build.
deploy-test:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(DEPLOY_TEST_PACKAGES)"
	@SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; $$SUDO Tests/Deploy/deb_test.sh $(DEPLOY_TEST_BUILD_DIR)
