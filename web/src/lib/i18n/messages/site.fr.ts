/** French messages of the site screens (spread into ../fr.ts; keys start with `site.`). */
export const siteFr = {
	'site.navBootcamp': 'Bootcamp',
	'site.navIntake': 'Démarrer un projet',

	'site.metaTitle': 'Fataplus · Agence UX/UI et design produit à Madagascar',
	'site.metaDescription':
		'Fataplus conçoit des applications et des sites clairs pour les entreprises, coopératives et ONG de Madagascar : design UX/UI et produit, AgriTech, et un bootcamp Figma de 12 semaines.',

	'site.heroEyebrow': 'Fataplus · agence UX/UI à Antananarivo',
	'site.heroTitle': 'Des produits numériques clairs, conçus à Madagascar',
	'site.heroLead':
		'Nous concevons des applications et des sites que vos utilisateurs comprennent du premier coup, pour les entreprises, les coopératives et les ONG. Et nous formons les designers de demain.',
	'site.ctaIntake': 'Démarrer un projet',
	'site.ctaBootcamp': 'Découvrir le bootcamp',
	'site.welcomeBack': 'Bonjour {name} ! Vos projets vous attendent dans votre espace.',
	'site.ctaMySpace': 'Accéder à mon espace',

	'site.servicesTitle': 'Ce que nous faisons',
	'site.servicesLead': 'Une petite équipe de designers et de chercheurs, du cadrage à la livraison.',
	'site.serviceDesignTitle': 'Design UX/UI et produit',
	'site.serviceDesignBody':
		'Recherche utilisateur, parcours, maquettes et prototypes Figma, design system : de l’idée à une interface prête à développer.',
	'site.serviceAgritechTitle': 'AgriTech',
	'site.serviceAgritechBody':
		'Des outils pour le terrain : applications hors ligne pour les coopératives, suivi des récoltes, relevés de prix. Pensés pour les petits écrans et les réseaux instables.',
	'site.serviceTrainingTitle': 'Formation',
	'site.serviceTrainingBody': 'Un bootcamp Figma de 12 semaines et des ateliers sur mesure pour faire progresser vos équipes.',

	'site.workTitle': 'Réalisations choisies',
	'site.workLead': 'Quelques projets récents, racontés simplement. Les noms des clients restent les leurs.',
	'site.workRole': 'Notre rôle : {role}',
	'site.workCoopTag': 'AgriTech',
	'site.workCoopTitle': 'L’application de suivi d’une coopérative agricole',
	'site.workCoopBody':
		'Les producteurs d’une coopérative enregistrent leurs récoltes sur téléphone, même sans réseau ; le bureau suit les volumes par parcelle chaque semaine.',
	'site.workCoopRole': 'entretiens sur le terrain, parcours hors ligne, maquettes et tests avec les producteurs',
	'site.workFintechTag': 'Fintech',
	'site.workFintechTitle': 'L’ouverture de compte d’une microfinance',
	'site.workFintechBody':
		'Un parcours d’inscription mobile en cinq étapes, lisible sur des téléphones d’entrée de gamme, qui explique chaque pièce demandée avant de la demander.',
	'site.workFintechRole': 'audit du parcours existant, prototype, tests avec des clients à Antananarivo et Fianarantsoa',
	'site.workHealthTag': 'Santé',
	'site.workHealthTitle': 'La prise de rendez-vous d’un centre de santé',
	'site.workHealthBody':
		'Réserver une consultation en trois écrans, sur le web ou par téléphone, avec un rappel par SMS la veille.',
	'site.workHealthRole': 'ateliers avec l’équipe d’accueil, parcours patient, design system et accompagnement du développement',

	'site.processTitle': 'Comment se déroule un projet',
	'site.processLead': 'Quatre étapes, et vous voyez le travail avancer à chacune.',
	'site.stepIntakeTitle': 'Votre demande',
	'site.stepIntakeBody': 'Décrivez votre projet en quelques minutes : objectifs, public, délais, budget. Nous vous répondons sous deux jours ouvrés.',
	'site.stepDiscoveryTitle': 'Découverte',
	'site.stepDiscoveryBody': 'Entretiens, visites sur le terrain et ateliers pour comprendre vos utilisateurs et fixer le périmètre.',
	'site.stepDesignTitle': 'Design dans Figma, revues en direct',
	'site.stepDesignBody': 'Maquettes et prototypes partagés dans votre espace Fataplus Live : vous commentez et validez en direct avec l’équipe.',
	'site.stepDeliveryTitle': 'Livraison et suivi',
	'site.stepDeliveryBody': 'Fichiers prêts pour le développement, design system documenté, puis suivi des indicateurs après le lancement.',

	'site.intakeTitle': 'Un projet en tête ?',
	'site.intakeBody': 'Un questionnaire de quelques minutes suffit pour commencer. Nous revenons vers vous avec des questions et une première estimation.',

	'site.bootcampEyebrow': 'Formation',
	'site.bootcampTitle': 'Bootcamp Figma · 12 semaines',
	'site.bootcampBody':
		'Apprenez le design d’interface avec des designers en activité : en soirée et le samedi, à Antananarivo ou en ligne, avec un vrai projet à présenter à la fin.',
	'site.bootcampPrice': '{price} la formation complète',
	'site.bootcampLink': 'Voir le programme et postuler'
} as const;
